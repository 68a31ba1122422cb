// The body of Rekor v1's searchLogQuery (POST /api/v1/log/entries/retrieve) read as rekor-server
// v1.6 reads it, refused in its words:
//  1. go-openapi binds the body: one JSON value (json.Decoder), decoded by models.SearchLogQuery's
//     UnmarshalJSON: Go's encoding/json into entryUUIDs ([]string), logIndexes ([]*int64) and the raw
//     `entries`, each element of which is then read by its `kind` (UnmarshalProposedEntrySlice).
//     Go 1.27's encoding/json (built on encoding/json/v2; rekor-server 1.6 needs that Go) names a
//     field by the key as the body wrote it, an element of a slice by its path (".logIndexes.1",
//     the anonymous struct having no name), and json.RawMessage by what it now is, jsontext.Value;
//  2. the model's Validate: entries, then entryUUIDs (1 to 10, each an entry ID or a UUID), then
//     logIndexes (1 to 10, each ≥ 0); go-openapi answers the first failure.
// What the handler does with the query (the limit of 10 in all, the look-ups) is RekorLog's.
// __tests__/world/real-servers.test.ts holds every refusal here to rekor-server itself.
import { goField, goFieldEntry, goJSON, goKeyMatches } from '../go-json.ts';
import { goQuoteText as goQuote } from '../go-quote.ts';
import { API_VERSION, EntryError, KNOWN_KINDS, targetedTypeError } from './rekor-entry.ts';

const ENTRY_ID = /^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$/;
const MAX_ITEMS = 10;
const QUERY_TYPE =
  'struct { Entries jsontext.Value "json:\\"entries\\""; EntryUUIDs []string "json:\\"entryUUIDs\\""; LogIndexes []*int64 "json:\\"logIndexes\\"" }';

/** A query as bound: what to look up, in the order the handler looks. */
export interface SearchLogQuery {
  entryUUIDs: string[];
  /** null for a JSON null, which Go leaves a nil pointer: index 0 to the handler */
  logIndexes: Array<bigint | null>;
  /** each proposed entry, its `kind` one rekor-server knows */
  entries: Array<Record<string, unknown>>;
}

/** A number as written: Go reads an int64 field from its text, which JSON.parse would round. */
class GoNumber {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

type Decoded = null | boolean | string | GoNumber | Decoded[] | { [key: string]: Decoded };

/** The JSON type Go names in an UnmarshalTypeError. */
function goKind(value: Decoded): string {
  if (value instanceof GoNumber) return 'number';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : 'string';
}

const isObject = (value: Decoded): value is { [key: string]: Decoded } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoNumber);

const parseError = (reason: string) => new EntryError(`parsing entry body from "" failed, because ${reason}`, 400);
const typeError = (value: Decoded, into: string) => parseError(`json: cannot unmarshal ${goKind(value)} into ${into}`);
/** `field` as Go names it: the struct's name (none for an anonymous one), a dot, the key as written. */
const fieldError = (value: Decoded, field: string, type: string) =>
  parseError(`json: cannot unmarshal ${goKind(value)} into Go struct field ${field} of type ${type}`);
/** An element of a slice field, named by its path: `.key.index`. */
const elementError = (text: string, path: string, type: string) => parseError(`json: cannot unmarshal ${text} into ${path} of type ${type}`);

/** []string: a JSON null item is Go's "", which the pattern then refuses. */
function entryUUIDsOf([key, value]: [string, Decoded]): string[] | undefined {
  if (value === null) return undefined;
  if (!Array.isArray(value)) throw fieldError(value, `.${key}`, '[]string');
  return value.map((item, i) => {
    if (item === null) return '';
    if (typeof item !== 'string') throw elementError(goKind(item), `.${key}.${i}`, 'string');
    return item;
  });
}

/** []*int64: an item must be an integer in int64 as written (1.0 and 1e3 are not). */
function logIndexesOf([key, value]: [string, Decoded]): Array<bigint | null> | undefined {
  if (value === null) return undefined;
  if (!Array.isArray(value)) throw fieldError(value, `.${key}`, '[]*int64');
  return value.map((item, i) => {
    if (item === null) return null;
    if (!(item instanceof GoNumber)) throw elementError(goKind(item), `.${key}.${i}`, 'int64');
    const int = /^-?\d+$/.test(item.text) ? BigInt(item.text) : undefined;
    if (int === undefined || int < -(2n ** 63n) || int >= 2n ** 63n) throw elementError(`number ${item.text}`, `.${key}.${i}`, 'int64');
    return int;
  });
}

/**
 * UnmarshalProposedEntrySlice: a JSON array, each element an object whose `kind` rekor-server knows,
 * read into its kind's model (kind, apiVersion and spec, each key matched as Go matches it).
 */
function entriesOf(value: Decoded | undefined): Array<Record<string, unknown>> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw typeError(value, 'Go value of type []jsontext.Value');
  return value.map((element) => {
    if (element !== null && !isObject(element)) throw typeError(element, 'Go value of type models.targetedProposedEntry');
    const object = element ?? {};
    const targetedError = targetedTypeError(object, (value) => goKind(value as Decoded));
    if (targetedError) throw parseError(targetedError);
    const kind = goField(object, 'kind') as string | null | undefined;
    if (!kind) throw parseError('kind in body is required');
    if (!KNOWN_KINDS.includes(kind) && kind !== 'ProposedEntry') throw parseError(`invalid kind value: ${goQuote(kind)}`);
    return { kind, apiVersion: plain(goField(object, 'apiVersion') ?? null), spec: plain(goField(object, 'spec') ?? null) };
  });
}

/** The proposed entry as the kinds read it (numbers as JavaScript numbers). */
function plain(value: Decoded): unknown {
  if (value instanceof GoNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plain);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** go-openapi's 422s: the first of entries, entryUUIDs and logIndexes that fails, its first failure. */
function validate(query: SearchLogQuery, given: { entryUUIDs: boolean; logIndexes: boolean }): void {
  for (const [i, entry] of query.entries.entries()) {
    // The API's abstract base kind has a model of no fields, which asks for nothing.
    if (entry.kind === 'ProposedEntry') continue;
    if (entry.apiVersion === undefined || entry.apiVersion === null) throw new EntryError(`entries.${i}.apiVersion in body is required`, 422, 602);
    if (typeof entry.apiVersion === 'string' && !API_VERSION.test(entry.apiVersion))
      throw new EntryError(`entries.${i}.apiVersion in body should match '${API_VERSION.source}'`, 422, 605);
    if (entry.spec === undefined || entry.spec === null) throw new EntryError(`entries.${i}.spec in body is required`, 422, 602);
  }
  const sized = (name: string, items: unknown[]) => {
    if (items.length < 1) throw new EntryError(`${name} in body should have at least 1 items`, 422, 612);
    if (items.length > MAX_ITEMS) throw new EntryError(`${name} in body should have at most ${MAX_ITEMS} items`, 422, 611);
  };
  if (given.entryUUIDs) {
    sized('entryUUIDs', query.entryUUIDs);
    const bad = query.entryUUIDs.findIndex((id) => !ENTRY_ID.test(id));
    if (bad >= 0) throw new EntryError(`entryUUIDs.${bad} in body should match '${ENTRY_ID.source}'`, 422, 605);
  }
  if (given.logIndexes) {
    sized('logIndexes', query.logIndexes);
    const bad = query.logIndexes.findIndex((index) => index !== null && index < 0n);
    if (bad >= 0) throw new EntryError(`logIndexes.${bad} in body should be greater than or equal to 0`, 422, 609);
  }
}

/** The query in `raw`, or an EntryError with rekor-server's refusal. */
export function readSearchLogQuery(raw: Buffer): SearchLogQuery {
  const read = goJSON(raw, 'decoder');
  if ('error' in read) {
    if (read.error === 'EOF') throw new EntryError('entry in body is required', 422, 602);
    throw parseError(read.error);
  }
  const value = JSON.parse(raw.subarray(0, read.end).toString('utf8'), (_key, v, context?: { source?: string }) =>
    typeof v === 'number' ? new GoNumber(context?.source ?? String(v)) : v,
  ) as Decoded;
  if (value !== null && !isObject(value)) throw typeError(value, `Go value of type ${QUERY_TYPE}`);
  const object = value ?? {};
  // Go decodes the fields in the order the body gives them and keeps the first error it met; the
  // entries are read once the whole query was (UnmarshalProposedEntrySlice).
  let entryUUIDs: string[] | undefined;
  let logIndexes: Array<bigint | null> | undefined;
  for (const name of orderOfFields(object)) {
    const field = goFieldEntry(object, name)!;
    if (name === 'entryUUIDs') entryUUIDs = entryUUIDsOf(field);
    else logIndexes = logIndexesOf(field);
  }
  const query = { entryUUIDs: entryUUIDs ?? [], logIndexes: logIndexes ?? [], entries: entriesOf(goField(object, 'entries')) };
  validate(query, { entryUUIDs: entryUUIDs !== undefined, logIndexes: logIndexes !== undefined });
  return query;
}

/** The query's two typed fields in the order the body names them. */
function orderOfFields(object: { [key: string]: Decoded }): Array<'entryUUIDs' | 'logIndexes'> {
  const names = ['entryUUIDs', 'logIndexes'] as const;
  const position = (name: string) => Object.keys(object).findIndex((key) => goKeyMatches(key, name));
  return names.filter((name) => position(name) >= 0).sort((a, b) => position(a) - position(b));
}
