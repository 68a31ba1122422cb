// What PyPI says about the upload *form* (not the file): warehouse validates the fields the client
// sends, in this order, and answers the first problem:
//   1. the `sanitize` decorator (warehouse/forklift/decorators.py): a field whose last value is
//      "UNKNOWN" (after strip) is dropped, all its values; NULs are escaped;
//   2. UploadForm (forms.py): name, filetype, pyversion, digests;
//   3. metadata.parse(None, form_data=...) (metadata.py): parse_form_metadata (a value of [""] is "not
//      provided"), packaging's Metadata.from_raw (its validators, at warehouse's pin 26.2), then
//      warehouse's _validate_metadata; of all the errors it reports the first of the first field in
//      the order metadata-version, name, version, then field names sorted.
// Every message is warehouse's or packaging's text, with warehouse's suffix.

import { BY_FORM, type FormRaw, type MetadataError } from './core-fields.ts';
import { type Crash, fromRawErrors, warehouseMetadataErrors } from './metadata-validators.ts';
import { PythonCrash } from './pep508.ts';
import { pyStrip } from './python-space.ts';
import { pyRepr } from './pyrepr.ts';

export type FormPairs = Array<[string, string]>;

const CORE_METADATA_URL = 'https://packaging.python.org/specifications/core-metadata';
const LOCAL_VERSION_URL = 'https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers';

/**
 * warehouse's `sanitize` on an ordered multi-dict: `get` answers a key's last value, `del` drops all
 * its values, `[]=` replaces them with one at the end. A key whose last value strips to "UNKNOWN" is
 * dropped; a key whose last value holds a NUL keeps only that value, escaped. (One pass per key: a
 * form may carry 100,000 values of one field.)
 */
export function sanitizeForm(pairs: FormPairs): FormPairs {
  const last = new Map<string, string>();
  for (const [k, v] of pairs) last.set(k, v);
  const dropped = new Set<string>();
  const replaced = new Map<string, string>();
  for (const [k, v] of last) {
    if (pyStrip(v) === 'UNKNOWN') dropped.add(k);
    else if (v.includes('\0')) replaced.set(k, v.replaceAll('\0', '\\x00'));
  }
  if (!dropped.size && !replaced.size) return pairs;
  const out: FormPairs = pairs.filter(([k]) => !dropped.has(k) && !replaced.has(k));
  for (const [k, v] of replaced) out.push([k, v]);
  return out;
}

const first = (pairs: FormPairs, key: string): string | undefined => pairs.find(([k]) => k === key)?.[1];

// warehouse.utils.project PROJECT_NAME_RE (ASCII, case-insensitive, \Z).
const PROJECT_NAME_RE = /^(?:[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** UploadForm.validate() and warehouse's choice of the message; undefined when the form is valid. */
export function uploadFormError(pairs: FormPairs): string | undefined {
  const errors = new Map<string, string>();
  const name = first(pairs, 'name');
  if (!name) errors.set('name', 'This field is required.');
  else if (!PROJECT_NAME_RE.test(name)) errors.set('name', "Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'.");
  const filetype = first(pairs, 'filetype');
  if (!filetype) errors.set('filetype', 'This field is required.');
  else if (filetype !== 'sdist' && filetype !== 'bdist_wheel') errors.set('filetype', 'Use a known file type.');
  for (const [field, label] of [
    ['sha256_digest', 'SHA256'],
    ['blake2_256_digest', 'BLAKE2'],
  ] as const) {
    const v = first(pairs, field);
    if (v && !/^[A-F0-9]{64}$/i.test(v)) errors.set(field, `Use a valid, hex-encoded, ${label} message digest.`);
  }
  if (errors.size === 0) {
    const pyversion = first(pairs, 'pyversion');
    if (filetype !== 'sdist' && !pyversion) errors.set('pyversion', 'Python version is required for binary distribution uploads.');
    else if (filetype === 'sdist' && pyversion && pyversion !== 'source') errors.set('pyversion', "Use 'source' as Python version for an sdist.");
    else if (!first(pairs, 'md5_digest') && !first(pairs, 'sha256_digest') && !first(pairs, 'blake2_256_digest'))
      return 'Error: Include at least one message digest.';
  }
  if (errors.size === 0) return undefined;
  const field = errors.has('name') ? 'name' : ([...errors.keys()].sort()[0] as string);
  if (field !== 'name') return `Invalid value for ${field}. Error: ${errors.get(field)}`;
  const shown = name && name.length > 60 ? `${name.slice(0, 30)}...${name.slice(-30)}` : (name ?? '');
  return `${pyRepr(shown)} is an invalid value for Name. Error: ${errors.get(field)} See ${CORE_METADATA_URL} for more information.`;
}

// ---- parse_form_metadata -------------------------------------------------------------------------

/** parse_form_metadata: the raw metadata, or the fields it could not take ("'x' has invalid data"). */
export function parseFormMetadata(pairs: FormPairs): { raw: FormRaw; errors: MetadataError[] } {
  const raw: FormRaw = new Map();
  const errors: MetadataError[] = [];
  for (const name of new Set(pairs.map(([k]) => k))) {
    const spec = BY_FORM.get(name);
    if (!spec) continue;
    const values = pairs.filter(([k]) => k === name).map(([, v]) => v);
    if (values.length === 1 && values[0] === '') continue;
    const [rawName, , , kind] = spec;
    if (kind === 'string' && values.length === 1) raw.set(rawName, values[0] as string);
    else if (kind === 'list') raw.set(rawName, values);
    else if (kind === 'keywords' && values.length === 1) raw.set(rawName, (values[0] as string).split(',').map(pyStrip));
    else if (kind === 'urls') {
      const urls = new Map<string, string>();
      let duplicate = false;
      for (const pair of values) {
        const comma = pair.indexOf(',');
        const label = pyStrip(comma < 0 ? pair : pair.slice(0, comma));
        if (urls.has(label)) duplicate = true;
        urls.set(label, pyStrip(comma < 0 ? '' : pair.slice(comma + 1)));
      }
      if (duplicate) errors.push({ field: name, message: `${pyRepr(name)} has invalid data` });
      else raw.set(rawName, urls);
    } else errors.push({ field: name, message: `${pyRepr(name)} has invalid data` });
  }
  return { raw, errors };
}

/** The field warehouse reports: metadata-version, name, version first, then sorted field names. */
export function pickMetadataError(errors: MetadataError[]): string | undefined {
  if (!errors.length) return undefined;
  const fields = new Set(errors.map((e) => e.field));
  const field = ['metadata-version', 'name', 'version'].find((f) => fields.has(f)) ?? ([...fields].sort()[0] as string);
  const error = errors.find((e) => e.field === field) as MetadataError;
  const local = field === 'version' && errors.some((e) => e.field === 'version' && e.message.includes('use of local versions'));
  const msg = error.message;
  return `${msg}${msg.endsWith('.') ? '' : '.'} See ${local ? LOCAL_VERSION_URL : CORE_METADATA_URL} for more information.`;
}

/**
 * The metadata errors of the form: `first` holds those of the stage that fails first in warehouse
 * (parse_form_metadata, else packaging's from_raw, else warehouse's own checks), from which PyPI picks
 * its answer; `later` those PyPI would report only once the first are fixed. `crash` names what
 * packaging raises that warehouse does not catch (PyPI then answers a server error).
 */
export function metadataErrors(pairs: FormPairs, listedClassifiers?: ReadonlySet<string>): { first: MetadataError[]; later: MetadataError[]; crash?: Crash } {
  const { raw, errors } = parseFormMetadata(pairs);
  if (errors.length) return { first: errors, later: [] };
  const { errors: packagingErrors, validated, crash } = fromRawErrors(raw);
  // An exception from_raw does not collect ends warehouse's view there: no error is reported.
  if (crash) return { first: [], later: [], crash };
  let warehouseErrors: MetadataError[] = [];
  try {
    warehouseErrors = warehouseMetadataErrors(validated, listedClassifiers);
  } catch (e) {
    if (!(e instanceof PythonCrash)) throw e;
    // warehouse's checks run only once packaging's pass: only then is the exception PyPI's answer.
    if (!packagingErrors.length) return { first: [], later: [], crash: { exception: e.exception, field: e.field ?? 'provides-dist', value: e.text } };
  }
  return packagingErrors.length ? { first: packagingErrors, later: warehouseErrors } : { first: warehouseErrors, later: [] };
}
