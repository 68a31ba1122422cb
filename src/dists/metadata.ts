// Core metadata (METADATA / PKG-INFO, versions 1.0–2.5) as pypa/packaging reads it
// (src/packaging/metadata.py `parse_email`, which uses the stdlib email parser with the compat32
// policy), and the upload form fields twine derives from it (twine/package.py
// `_RAW_TO_PACKAGE_METADATA`, twine/repository.py `_convert_metadata_to_list_of_tuples`).
// We mirror packaging rather than "RFC 822 in general" because PyPI and twine both use it: a value
// with continuation lines keeps its folding ("a\n        b") exactly like packaging returns it.

import type { CoreMetadata, Dist } from './types.ts';
import { PY_UTF8 } from './python-text.ts';

/** Lower-case header → spec spelling, and to packaging's RawMetadata key. */
const FIELDS: Array<[spelling: string, raw: string]> = [
  ['Metadata-Version', 'metadata_version'],
  ['Name', 'name'],
  ['Version', 'version'],
  ['Dynamic', 'dynamic'],
  ['Platform', 'platforms'],
  ['Supported-Platform', 'supported_platforms'],
  ['Summary', 'summary'],
  ['Description', 'description'],
  ['Description-Content-Type', 'description_content_type'],
  ['Keywords', 'keywords'],
  ['Home-page', 'home_page'],
  ['Download-URL', 'download_url'],
  ['Author', 'author'],
  ['Author-email', 'author_email'],
  ['Maintainer', 'maintainer'],
  ['Maintainer-email', 'maintainer_email'],
  ['License', 'license'],
  ['License-Expression', 'license_expression'],
  ['License-File', 'license_files'],
  ['Classifier', 'classifiers'],
  ['Requires-Dist', 'requires_dist'],
  ['Requires-Python', 'requires_python'],
  ['Requires-External', 'requires_external'],
  ['Project-URL', 'project_urls'],
  ['Provides-Extra', 'provides_extra'],
  ['Provides-Dist', 'provides_dist'],
  ['Obsoletes-Dist', 'obsoletes_dist'],
  ['Requires', 'requires'],
  ['Provides', 'provides'],
  ['Obsoletes', 'obsoletes'],
  ['Import-Name', 'import_names'],
  ['Import-Namespace', 'import_namespaces'],
];
export const EMAIL_TO_RAW = new Map(FIELDS.map(([h, r]) => [h.toLowerCase(), r]));
export const RAW_TO_EMAIL = new Map(FIELDS.map(([h, r]) => [r, h]));
const SPELLING = new Map(FIELDS.map(([h]) => [h.toLowerCase(), h]));

// packaging's _STRING_FIELDS / _LIST_FIELDS ("keywords" and "project_urls" are special).
export const STRING_FIELDS = new Set([
  'author',
  'author_email',
  'description',
  'description_content_type',
  'download_url',
  'home_page',
  'license',
  'license_expression',
  'maintainer',
  'maintainer_email',
  'metadata_version',
  'name',
  'requires_python',
  'summary',
  'version',
]);
export const LIST_FIELDS = new Set([
  'classifiers',
  'dynamic',
  'license_files',
  'obsoletes',
  'obsoletes_dist',
  'platforms',
  'provides',
  'provides_dist',
  'provides_extra',
  'requires',
  'requires_dist',
  'requires_external',
  'supported_platforms',
  'import_names',
  'import_namespaces',
]);

/** packaging's RawMetadata: strings, lists, keywords as a list, project_urls as label → URL. */
export interface RawMetadata {
  [key: string]: string | string[] | Record<string, string> | undefined;
  keywords?: string[];
  project_urls?: Record<string, string>;
}

export interface ParsedMetadata extends CoreMetadata {
  /** Header names in the order they first appear (spec spelling for known fields). */
  order: string[];
  /** Set when the bytes were not valid UTF-8 (decoded with replacement characters). */
  invalidUtf8?: boolean;
}

class Metadata implements ParsedMetadata {
  headers = new Map<string, string[]>();
  body?: string;
  order: string[] = [];
  invalidUtf8?: boolean;
  get(name: string): string | undefined {
    return this.getAll(name)[0];
  }
  getAll(name: string): string[] {
    const want = name.toLowerCase();
    for (const [k, v] of this.headers) if (k.toLowerCase() === want) return v;
    return [];
  }
  add(name: string, value: string): void {
    const key = SPELLING.get(name.toLowerCase()) ?? this.order.find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    let list = this.headers.get(key);
    if (!list) {
      list = [];
      this.headers.set(key, list);
      this.order.push(key);
    }
    list.push(value);
  }
}

// email.feedparser: headerRE and line splitting on \r\n, \r or \n (NLCRE_crack).
const HEADER_RE = /^(From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
const LINE_RE = /[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g;

/** Parse METADATA / PKG-INFO bytes (or text) the way packaging.metadata.parse_email sees them. */
export function parseCoreMetadata(data: Uint8Array | string): ParsedMetadata {
  const meta = new Metadata();
  let text: string;
  if (typeof data === 'string') text = data;
  else {
    try {
      text = PY_UTF8.decode(data);
    } catch {
      text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
      meta.invalidUtf8 = true;
    }
  }
  // A byte-order mark is kept, as packaging keeps it: the first line is then no header, and the whole
  // file reads as a description with no Metadata-Version, Name or Version (twine refuses it).
  const lines = text.match(LINE_RE) ?? [];
  let current: { name: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    // compat32 header_source_parse: lstrip the first line's value, keep continuation lines raw,
    // strip the trailing line ending.
    const first = current.lines[0] as string;
    const value = (first.slice(first.indexOf(':') + 1).replace(/^[ \t]+/, '') + current.lines.slice(1).join('')).replace(/[\r\n]+$/, '');
    meta.add(current.name, value);
    current = undefined;
  };
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^(?:\r\n|\r|\n)$/.test(line)) {
      i++; // the blank separator line is not part of the body
      break;
    }
    if (!HEADER_RE.test(line)) break; // MissingHeaderBodySeparatorDefect: this line starts the body
    if (line[0] === ' ' || line[0] === '\t') {
      if (current) current.lines.push(line); // continuation; ignored if no header yet
      continue;
    }
    if (line.startsWith('From ')) continue; // unix-from / misplaced envelope header: ignored
    const colon = line.indexOf(':');
    if (colon === 0) continue; // InvalidHeaderDefect
    flush();
    current = { name: line.slice(0, colon), lines: [line] };
  }
  flush();
  const body = lines.slice(i).join('');
  if (body) meta.body = body;
  return meta;
}

export interface RawParse {
  raw: RawMetadata;
  /** Fields packaging could not parse: unknown names, repeated single-use fields, duplicate URL labels. */
  unparsed: Map<string, string[]>;
}

/** packaging.metadata.parse_email's (raw, unparsed) split, from already-parsed headers. */
export function toRaw(meta: CoreMetadata): RawParse {
  const raw: RawMetadata = {};
  const unparsed = new Map<string, string[]>();
  if ((meta as ParsedMetadata).invalidUtf8) {
    // packaging sends mojibake fields to "unparsed"; we can't tell which, so flag the whole file.
    unparsed.set('(encoding)', ['not valid UTF-8']);
  }
  for (const [name, values] of meta.headers) {
    const lower = name.toLowerCase();
    const key = EMAIL_TO_RAW.get(lower);
    if (key === undefined) {
      unparsed.set(lower, values);
    } else if (STRING_FIELDS.has(key) && values.length === 1) {
      raw[key] = values[0] as string;
    } else if (key === 'import_names' && values.length === 1 && values[0] === '') {
      raw[key] = [];
    } else if (LIST_FIELDS.has(key)) {
      raw[key] = [...values];
    } else if (key === 'keywords' && values.length === 1) {
      raw.keywords = (values[0] as string).split(',').map((k) => k.trim());
    } else if (key === 'project_urls') {
      const urls: Record<string, string> = {};
      let dup = false;
      for (const pair of values) {
        const c = pair.indexOf(',');
        const label = (c < 0 ? pair : pair.slice(0, c)).trim();
        const url = c < 0 ? '' : pair.slice(c + 1).trim();
        if (Object.hasOwn(urls, label)) dup = true;
        urls[label] = url;
      }
      if (dup) unparsed.set(lower, values);
      else raw.project_urls = urls;
    } else {
      unparsed.set(lower, values);
    }
  }
  if (meta.body) {
    if (typeof raw.description === 'string') {
      unparsed.set('description', [raw.description, meta.body]);
      delete raw.description;
    } else if (unparsed.has('description')) {
      unparsed.get('description')?.push(meta.body);
    } else {
      raw.description = meta.body;
    }
  }
  return { raw, unparsed };
}

// twine/package.py _RAW_TO_PACKAGE_METADATA: raw key → form field. Multi-use fields keep
// packaging's plural raw names except platform/supported_platform/license_file. twine does not
// send Import-Name / Import-Namespace (metadata 2.5), so neither do we.
const RAW_TO_FORM: Array<[string, string]> = [
  ['metadata_version', 'metadata_version'],
  ['name', 'name'],
  ['version', 'version'],
  ['platforms', 'platform'],
  ['summary', 'summary'],
  ['description', 'description'],
  ['keywords', 'keywords'],
  ['home_page', 'home_page'],
  ['author', 'author'],
  ['author_email', 'author_email'],
  ['license', 'license'],
  ['supported_platforms', 'supported_platform'],
  ['download_url', 'download_url'],
  ['classifiers', 'classifiers'],
  ['requires', 'requires'],
  ['provides', 'provides'],
  ['obsoletes', 'obsoletes'],
  ['maintainer', 'maintainer'],
  ['maintainer_email', 'maintainer_email'],
  ['requires_dist', 'requires_dist'],
  ['provides_dist', 'provides_dist'],
  ['obsoletes_dist', 'obsoletes_dist'],
  ['requires_python', 'requires_python'],
  ['requires_external', 'requires_external'],
  ['project_urls', 'project_urls'],
  ['description_content_type', 'description_content_type'],
  ['provides_extra', 'provides_extra'],
  ['dynamic', 'dynamic'],
  ['license_expression', 'license_expression'],
  ['license_files', 'license_file'],
];

/** pkg_resources.safe_name, which twine sends as `name` ("copied ... for compatibility with warehouse"). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9.]+/g, '-');
}

/** Does metadata version `v` come before 2.4? (twine compares with packaging.Version; "0" if absent.) */
function before24(v: string | undefined): boolean {
  const m = /^\s*(\d+)(?:\.(\d+))?/.exec(v ?? '0');
  if (!m) return true;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  return major < 2 || (major === 2 && minor < 4);
}

/**
 * The upload form fields for a dist, in the order twine would send them, excluding what the
 * uploader adds itself (":action", "protocol_version", "content", "comment", "attestations").
 * Includes `pyversion`, `filetype` and `sha256_digest`, the one digest PyPI needs (it computes
 * the others itself; like uv, no `md5_digest` or `blake2_256_digest` is sent).
 */
export function uploadFields(dist: Dist): Array<[string, string]> {
  const { raw } = toRaw(dist.metadata);
  // twine: setuptools emits License-File under 2.1; drop it below metadata 2.4.
  if (before24(typeof raw.metadata_version === 'string' ? raw.metadata_version : undefined)) delete raw.license_files;
  const out: Array<[string, string]> = [];
  for (const [key, field] of RAW_TO_FORM) {
    const value = raw[key];
    if (value === undefined) continue;
    if (key === 'name' && typeof value === 'string') out.push([field, safeName(value)]);
    else if (key === 'keywords' && Array.isArray(value)) out.push([field, value.join(', ')]);
    else if (key === 'project_urls' && !Array.isArray(value) && typeof value === 'object') {
      for (const [label, url] of Object.entries(value)) out.push([field, `${label}, ${url}`]);
    } else if (Array.isArray(value)) for (const item of value) out.push([field, item]);
    else if (typeof value === 'string') out.push([field, value]);
  }
  out.push(['pyversion', dist.pyversion]);
  out.push(['filetype', dist.kind === 'wheel' ? 'bdist_wheel' : 'sdist']);
  out.push(['sha256_digest', dist.digests.sha256]);
  return out;
}
