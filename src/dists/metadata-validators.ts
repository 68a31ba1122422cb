// The two validation passes warehouse runs on the metadata it parsed from the form:
//  - packaging's Metadata.from_raw (26.2, warehouse's pin): for each field present (and the required
//    ones), "introduced in metadata version X" when the Metadata-Version is older, else its validator;
//  - warehouse's _validate_metadata (forklift/metadata.py), only when from_raw found nothing.
// Messages are the libraries' own, field names as they spell them.

import classifiers from './data/trove-classifiers.json' with { type: 'json' };
import { BY_RAW, EMAIL_NAMES, type FormRaw, type MetadataError, VALID_METADATA_VERSIONS } from './core-fields.ts';
import { parseaddrAddress, validateEmailAddress } from './email.ts';
import { isValidName } from './filename.ts';
import { licenseExpressionError } from './licenses.ts';
import { contentTypeCrash, contentTypeParams } from './content-type.ts';
import { InvalidRequirement, type ParsedRequirement, PythonCrash, parseRequirement, requirementString, specifierSetError } from './pep508.ts';
import { pyStrip } from './python-space.ts';
import { pyFormatMap } from './pyformat.ts';
import { pyRepr } from './pyrepr.ts';
import { isValidUri } from './url.ts';
import { tryParseVersion, type Version } from './version.ts';

const VALID_CLASSIFIERS = new Set(classifiers.all);
const DEPRECATED_CLASSIFIERS = new Map(Object.entries(classifiers.deprecated as Record<string, string[]>));
// packaging 26.2 lists these with a Python set literal; the order it prints varies between Python
// processes (hash randomization), so PyPI's own message varies. This is the order of PYTHONHASHSEED=0.
const CONTENT_TYPES_SHOWN = ['text/x-rst', 'text/markdown', 'text/plain'];
const CONTENT_TYPES = new Set(CONTENT_TYPES_SHOWN);
const MARKDOWN_VARIANTS_SHOWN = ['GFM', 'CommonMark'];
// warehouse DYNAMIC_FIELDS, lower-cased.
const WAREHOUSE_DYNAMIC = new Set([...EMAIL_NAMES].filter((f) => !['metadata-version', 'name', 'version', 'dynamic'].includes(f)));

/** The values warehouse's own checks read, as packaging returns them once validated. */
export interface Validated {
  version?: Version;
  raw: FormRaw;
  requiresDist: ParsedRequirement[];
  dynamic: string[];
  licenseExpression?: string;
}

const pyList = (items: string[]): string => `[${items.map(pyRepr).join(', ')}]`;
const str = (raw: FormRaw, key: string): string | undefined => {
  const v = raw.get(key);
  return typeof v === 'string' ? v : undefined;
};
const list = (raw: FormRaw, key: string): string[] => {
  const v = raw.get(key);
  return Array.isArray(v) ? v : [];
};

/** packaging _process_description_content_type (26.2): the email parser's view of a Content-Type. */
function contentTypeError(value: string): string | undefined {
  const field = "'description-content-type'";
  // Message.get_content_type: the text before the first ";", str.strip()ped, else text/plain.
  let ct = pyStrip(value.split(';')[0] ?? '').toLowerCase();
  if ((ct.match(/\//g) ?? []).length !== 1) ct = 'text/plain';
  if (!CONTENT_TYPES.has(ct) || !value.toLowerCase().includes(ct)) return `${field} must be one of ${pyList(CONTENT_TYPES_SHOWN)}, not ${pyRepr(value)}`;
  const p = contentTypeParams(value);
  const charset = p.get('charset') ?? 'UTF-8';
  if (charset !== 'UTF-8') return `${field} can only specify the UTF-8 charset, not ${pyRepr(charset)}`;
  const variant = p.get('variant') ?? 'GFM';
  if (ct === 'text/markdown' && variant !== 'GFM' && variant !== 'CommonMark')
    return `valid Markdown variants for ${field} are ${pyList(MARKDOWN_VARIANTS_SHOWN)}, not ${pyRepr(variant)}`;
  return undefined;
}

/** PureWindowsPath(path).as_posix() and is_absolute(), as far as License-File paths need them. */
function windowsPath(path: string): { posix: string; absolute: boolean } {
  const m = /^(?:([A-Za-z]:)|([\\/]{2}[^\\/]+[\\/][^\\/]+))?([\\/])?(.*)$/s.exec(path) as RegExpExecArray;
  const drive = (m[1] ?? m[2] ?? '').replace(/\\/g, '/');
  const parts = (m[4] ?? '').split(/[\\/]/).filter((p) => p && p !== '.');
  const posix = `${drive}${m[3] ? '/' : ''}${parts.join('/')}` || '.';
  return { posix, absolute: Boolean(drive && (m[3] || m[2])) };
}

function licenseFileError(path: string): string | undefined {
  const f = "'license-file'";
  if (path.includes('..')) return `${pyRepr(path)} is invalid for ${f}, parent directory indicators are not allowed`;
  if (path.includes('*')) return `${pyRepr(path)} is invalid for ${f}, paths must be resolved`;
  const win = windowsPath(path);
  if (path.startsWith('/') || win.absolute) return `${pyRepr(path)} is invalid for ${f}, paths must be relative`;
  if (win.posix !== path) return `${pyRepr(path)} is invalid for ${f}, paths must use '/' delimiter`;
  return undefined;
}

type Processor = (raw: FormRaw, key: string, v: Validated) => string | undefined;

const PROCESSORS: Record<string, Processor> = {
  name: (raw) => {
    const v = str(raw, 'name');
    if (!v) return "'name' is a required field";
    return isValidName(v) ? undefined : `${pyRepr(v)} is invalid for 'name'`;
  },
  version: (raw, _k, out) => {
    const v = str(raw, 'version');
    if (!v) return "'version' is a required field";
    const parsed = tryParseVersion(v);
    if (!parsed) return `${pyRepr(v)} is invalid for 'version'`;
    out.version = parsed;
    return undefined;
  },
  summary: (raw) => (str(raw, 'summary')?.includes('\n') ? "'summary' must be a single line" : undefined),
  description_content_type: (raw) => contentTypeError(str(raw, 'description_content_type') ?? ''),
  dynamic: (raw, _k, out) => {
    out.dynamic = list(raw, 'dynamic').map((d) => d.toLowerCase());
    for (const d of out.dynamic) {
      if (['name', 'version', 'metadata-version'].includes(d)) return `${pyRepr(d)} is not allowed as a dynamic field`;
      if (!EMAIL_NAMES.has(d)) return `${pyRepr(d)} is not a valid dynamic field`;
    }
    return undefined;
  },
  provides_extra: (raw) => {
    const bad = list(raw, 'provides_extra').find((e) => !isValidName(e));
    return bad === undefined ? undefined : `${pyRepr(bad)} is invalid for 'provides-extra'`;
  },
  requires_python: (raw) => {
    const v = str(raw, 'requires_python') ?? '';
    return specifierSetError(v) ? `${pyRepr(v)} is invalid for 'requires-python'` : undefined;
  },
  requires_dist: (raw, _k, out) => {
    for (const req of list(raw, 'requires_dist')) {
      try {
        out.requiresDist.push(parseRequirement(req));
      } catch (e) {
        if (e instanceof InvalidRequirement) return `${pyRepr(req)} is invalid for 'requires-dist'`;
        throw e;
      }
    }
    return undefined;
  },
  license_expression: (raw, _k, out) => {
    const v = str(raw, 'license_expression') ?? '';
    if (licenseExpressionError(v)) return `${pyRepr(v)} is invalid for 'license-expression'`;
    out.licenseExpression = v;
    return undefined;
  },
  license_files: (raw) =>
    list(raw, 'license_files')
      .map(licenseFileError)
      .find((e) => e !== undefined),
};

/** A raw value as one string, for a report. */
const valueText = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : '');

/** An exception a check raises that warehouse does not catch (PyPI answers a server error): which, on what. */
export interface Crash {
  exception: string;
  field: string;
  value: string;
}

/** Metadata.from_raw(raw): one error at most per field, or the exception that ends it. */
export function fromRawErrors(raw: FormRaw): { errors: MetadataError[]; validated: Validated; crash?: Crash } {
  const errors: MetadataError[] = [];
  let crash: Crash | undefined;
  const validated: Validated = { raw, requiresDist: [], dynamic: [] };
  const mv = str(raw, 'metadata_version');
  const age = mv === undefined ? -1 : VALID_METADATA_VERSIONS.indexOf(mv);
  // packaging's messages go through str.format_map, which reads braces from the value as format syntax.
  const push = (field: string, message: string, value: string): void => {
    const repr = pyRepr(field);
    const f = pyFormatMap(message.split(repr).join('{field}'), repr);
    if (f.crash) crash ??= { exception: f.crash, field, value };
    else errors.push({ field, message: f.text as string });
  };
  if (age < 0) push('metadata-version', `${mv === undefined ? 'None' : pyRepr(mv)} is not a valid metadata version`, mv ?? '');
  const keys = new Set([...raw.keys(), 'name', 'version']);
  keys.delete('metadata_version');
  for (const key of keys) {
    const [, , email, , added] = BY_RAW.get(key) as [string, string, string, string, string];
    if (age >= 0 && VALID_METADATA_VERSIONS.indexOf(added) > age) {
      errors.push({ field: email, message: `${email} introduced in metadata version ${added}, not ${mv}` });
      continue;
    }
    const dct = key === 'description_content_type' ? contentTypeCrash(str(raw, key) ?? '') : undefined;
    if (dct) {
      crash ??= { exception: dct, field: email, value: str(raw, key) ?? '' };
      continue;
    }
    try {
      const message = PROCESSORS[key]?.(raw, key, validated);
      if (message) push(email, message, valueText(raw.get(key)));
    } catch (e) {
      if (!(e instanceof PythonCrash)) throw e;
      crash ??= { exception: e.exception, field: email, value: e.text };
    }
  }
  return crash ? { errors, validated, crash } : { errors, validated };
}

function emailErrors(raw: FormRaw): MetadataError[] {
  const out: MetadataError[] = [];
  for (const [key, field] of [
    ['author_email', 'author-email'],
    ['maintainer_email', 'maintainer-email'],
  ] as const) {
    const value = str(raw, key);
    if (value === undefined) continue;
    const address = parseaddrAddress(value);
    const reason = address ? validateEmailAddress(address) : undefined;
    if (reason) out.push({ field, message: `${pyRepr(address)} is not a valid email address: ${reason}` });
  }
  return out;
}

/** Whether this action's copy of trove-classifiers knows the classifier, as valid or as deprecated. */
export function isKnownClassifier(classifier: string): boolean {
  return VALID_CLASSIFIERS.has(classifier) || DEPRECATED_CLASSIFIERS.has(classifier);
}

/** The source of this action's classifier list, for messages. */
export const CLASSIFIERS_SOURCE = classifiers.source;

/** `listed`: the classifiers the index says it accepts today, beyond this action's copy (src/pypi/classifiers.ts). */
function classifierErrors(raw: FormRaw, listed?: ReadonlySet<string>): MetadataError[] {
  const given = [...new Set(list(raw, 'classifiers'))].sort();
  const out: MetadataError[] = given
    .filter((c) => !VALID_CLASSIFIERS.has(c) && !listed?.has(c))
    .map((c) => ({ field: 'classifier', message: `${pyRepr(c)} is not a valid classifier.` }));
  for (const c of given.filter((x) => DEPRECATED_CLASSIFIERS.has(x))) {
    const by = DEPRECATED_CLASSIFIERS.get(c) as string[];
    out.push({
      field: 'classifier',
      message: by.length
        ? `The classifier ${pyRepr(c)} has been deprecated, use one of ${pyList(by)} instead.`
        : `The classifier ${pyRepr(c)} has been deprecated.`,
    });
  }
  return out;
}

function urlErrors(raw: FormRaw): MetadataError[] {
  const out: MetadataError[] = [];
  for (const [key, field] of [
    ['home_page', 'home-page'],
    ['download_url', 'download-url'],
  ] as const) {
    const url = str(raw, key);
    if (url !== undefined && !isValidUri(url)) out.push({ field, message: `${pyRepr(url)} is not a valid url.` });
  }
  const urls = raw.get('project_urls');
  for (const [label, url] of urls instanceof Map ? urls : []) {
    const error = !label
      ? 'Must have a label'
      : [...label].length > 32
        ? `${pyRepr(label)} must be 32 characters or less.`
        : !url
          ? 'Must have a URL'
          : !isValidUri(url)
            ? `${pyRepr(url)} is not a valid url`
            : undefined;
    if (error) out.push({ field: 'project-url', message: error });
  }
  return out;
}

/** warehouse's checks of Provides-Dist and Obsoletes-Dist; a PythonCrash goes through. */
function distFieldErrors(v: Validated): MetadataError[] {
  const out: MetadataError[] = [];
  for (const [key, field] of [
    ['provides_dist', 'provides-dist'],
    ['obsoletes_dist', 'obsoletes-dist'],
  ] as const) {
    for (const req of list(v.raw, key)) {
      try {
        if (parseRequirement(req).url) out.push({ field, message: `Can't have direct dependency: ${pyRepr(req)}` });
      } catch (e) {
        if (e instanceof PythonCrash) e.field = field;
        if (!(e instanceof InvalidRequirement)) throw e;
        out.push({ field, message: `${pyRepr(req)} is invalid: ${e.message}` });
      }
    }
  }
  for (const req of v.requiresDist) {
    if (req.url) out.push({ field: 'requires-dist', message: `Can't have direct dependency: ${requirementString(req)}` });
  }
  return out;
}

/** warehouse _validate_metadata, in its order. */
export function warehouseMetadataErrors(v: Validated, listedClassifiers?: ReadonlySet<string>): MetadataError[] {
  const out: MetadataError[] = [];
  if (v.version?.local) out.push({ field: 'version', message: `The use of local versions in ${pyRepr(v.version.normalized)} is not allowed.` });
  const summary = str(v.raw, 'summary');
  if (summary !== undefined && [...summary].length > 512) out.push({ field: 'summary', message: "'summary' field must be 512 characters or less." });
  // Appended one by one: 100,000 bad classifiers must not become 100,000 call arguments.
  for (const list of [emailErrors(v.raw), classifierErrors(v.raw, listedClassifiers), urlErrors(v.raw), distFieldErrors(v)]) for (const e of list) out.push(e);
  for (const d of v.dynamic) if (!WAREHOUSE_DYNAMIC.has(d)) out.push({ field: 'dynamic', message: `Dynamic field ${pyRepr(d)} is not a valid dynamic field.` });
  if (str(v.raw, 'license') && v.licenseExpression)
    out.push({ field: 'license', message: 'License is deprecated when License-Expression is present. Only License-Expression should be present.' });
  return out;
}
