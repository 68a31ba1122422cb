// A proposed entry read as sigstore/rekor v1.6's createLogEntry reads it, into the body it logs:
//  1. go-openapi: a body, then one JSON value (json.Decoder), then a known `kind`;
//  2. types.CreateVersionedEntry: the kind's version, the kind's own reading (Unmarshal: DecodeEntry,
//     the model's Validate, then its checks), the kind enabled (rekor-server enables every kind it
//     has; the world logs those its clients send: dsse, hashedrekord, intoto and rekord), then
//     Insertable;
//  3. checkEntryAlgorithms (hashedrekord), then the canonical body (the kind's Canonicalize, then JCS
//     when it is logged).
// Refusals carry Rekor's status, code and words (pkg/api/error.go: "error processing entry: …").
// __tests__/world/real-servers.test.ts holds every step to rekor-server itself.
import { goField, goJSON, goKeyMatches } from '../go-json.ts';
import { DSSE_VERSIONS } from './rekor-dsse.ts';
import { HASHEDREKORD_VERSIONS } from './rekor-hashedrekord.ts';
import { INTOTO_VERSIONS } from './rekor-intoto.ts';
import { CanonicalizeFailure, Refusal, type KindEntry } from './rekor-kind.ts';
import { REKORD_VERSIONS } from './rekor-rekord.ts';

/** A proposed entry as go-openapi decodes it: a kind it knows, and apiVersion and spec as sent. */
export interface ProposedEntry {
  kind: string;
  apiVersion: unknown;
  spec: unknown;
}

/** A refusal: HTTP status, the `code` of Rekor's error body, and its message. */
export class EntryError extends Error {
  readonly status: number;
  readonly code: number;

  constructor(message: string, status = 400, code = status) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Every kind's model asks for a semantic version (the OpenAPI document's pattern, as RE2 reads it).
export const API_VERSION =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
// Every kind rekor-server's OpenAPI document knows.
export const KNOWN_KINDS = ['alpine', 'cose', 'dsse', 'hashedrekord', 'helm', 'intoto', 'jar', 'rekord', 'rfc3161', 'rpm', 'tuf'];
/** The kinds the world reads, by version: the only ones its log can hold. */
const KINDS: Record<string, Record<string, (spec: unknown) => KindEntry>> = {
  dsse: DSSE_VERSIONS,
  hashedrekord: HASHEDREKORD_VERSIONS,
  intoto: INTOTO_VERSIONS,
  rekord: REKORD_VERSIONS,
};
export const LOGGED_KINDS = Object.keys(KINDS);
const GO_TYPES: Record<string, string> = { object: 'object', string: 'string', number: 'number', boolean: 'bool' };
/** The name Go gives a JSON value's type in an UnmarshalTypeError. */
const goKindOf = (value: unknown): string => (Array.isArray(value) ? 'array' : GO_TYPES[typeof value]!);

/**
 * models.targetedProposedEntry as Go's encoding/json fills it first: `kind` and `apiVersion`, each
 * a string or null, matched by key whatever its case. The first key of the two that holds anything
 * else, in the body's order, is the error, naming the key as written.
 */
export function targetedTypeError(object: Record<string, unknown>, kindOf: (value: unknown) => string = goKindOf): string | undefined {
  for (const [key, value] of Object.entries(object)) {
    if (value === null || typeof value === 'string' || !(goKeyMatches(key, 'kind') || goKeyMatches(key, 'apiVersion'))) continue;
    return `json: cannot unmarshal ${kindOf(value)} into Go struct field targetedProposedEntry.${key} of type string`;
  }
  return undefined;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * models.UnmarshalProposedEntry: one JSON value, kind and apiVersion strings (or null), a kind that
 * is not empty and that the API knows; or an EntryError with go-openapi's answer.
 */
function targetedEntry(raw: Buffer): ProposedEntry {
  if (raw.length === 0) throw new EntryError('proposedEntry in body is required', 422, 602);
  const read = goJSON(raw, 'decoder');
  if ('error' in read) throw new EntryError(read.error, 500);
  const value: unknown = JSON.parse(raw.subarray(0, read.end).toString('utf8'));
  if (!isObject(value) && value !== null)
    throw new EntryError(
      `json: cannot unmarshal ${Array.isArray(value) ? 'array' : GO_TYPES[typeof value]} into Go value of type models.targetedProposedEntry`,
      500,
    );
  const proposed = value ?? {};
  const typeError = targetedTypeError(proposed);
  if (typeError) throw new EntryError(typeError, 500);
  const kind = goField(proposed, 'kind') as string | null | undefined;
  if (!kind) throw new EntryError('kind in body is required', 422, 602);
  // The API's abstract base kind decodes too, into a model of no fields that no kind reads.
  if (!KNOWN_KINDS.includes(kind) && kind !== 'ProposedEntry') throw new EntryError(`invalid kind value: ${JSON.stringify(kind)}`, 422);
  return { kind, apiVersion: goField(proposed, 'apiVersion'), spec: goField(proposed, 'spec') };
}

/** The kind model's Validate, as the body is bound: apiVersion present and a version, spec present (go-openapi answers the first). */
function validateModel(entry: ProposedEntry): void {
  if (entry.kind === 'ProposedEntry') return;
  if (entry.apiVersion === undefined || entry.apiVersion === null) throw new EntryError('apiVersion in body is required', 422, 602);
  if (!API_VERSION.test(String(entry.apiVersion))) throw new EntryError(`apiVersion in body should match '${API_VERSION.source}'`, 422, 605);
  if (entry.spec === undefined || entry.spec === null) throw new EntryError('spec in body is required', 422, 602);
}

/** The proposed entry in `raw` as go-openapi binds it (UnmarshalProposedEntry, then the model's Validate), or an EntryError. */
export function bindProposedEntry(raw: Buffer): ProposedEntry {
  const entry = targetedEntry(raw);
  validateModel(entry);
  return entry;
}

/** createLogEntry of a bound entry: the body Rekor would log and the keys it indexes it under, or an EntryError with its refusal. */
export function insertProposedEntry(entry: ProposedEntry): { body: object; indexKeys: string[] } {
  try {
    return inserted(unmarshalEntry(entry));
  } catch (error) {
    if (error instanceof Refusal) throw new EntryError(`error processing entry: ${error.message}`);
    if (error instanceof CanonicalizeFailure) throw new EntryError('error generating canonicalized entry', 500);
    throw error;
  }
}

/** What CreateVersionedEntry and createLogEntry do with an entry once read: the body to log and its index keys, or a Refusal. */
function inserted(entry: KindEntry): { body: object; indexKeys: string[] } {
  const notInsertable = entry.notInsertable();
  if (notInsertable) throw new Refusal(`entry not insertable into log: ${notInsertable}`);
  if (entry.algorithmsPermitted?.() === false) throw new Refusal('entry algorithms are not allowed');
  const body = entry.canonicalize();
  return { body, indexKeys: entry.indexKeys() };
}

/**
 * types.UnmarshalEntry: the kind's version (VersionedUnmarshal), then its Unmarshal. A kind the world
 * does not read (rekor-server reads them all) is refused in words of the world's own.
 */
function unmarshalEntry(proposed: { kind?: unknown; apiVersion?: unknown; spec?: unknown }): KindEntry {
  const kind = String(proposed.kind);
  if (kind === 'ProposedEntry') throw new Refusal(`could not unmarshal entry for kind '${kind}'`);
  const versions = KINDS[kind];
  if (!versions) throw new Refusal(`entry kind '${kind}' is not logged by the local world`);
  const version = typeof proposed.apiVersion === 'string' ? proposed.apiVersion : '';
  const unmarshal = versions[version];
  if (!unmarshal) throw new Refusal(`${kind} implementation for version '${version}' not found: unable to locate entry for version ${version}`);
  return unmarshal(proposed.spec);
}

/**
 * types.UnmarshalEntry then CanonicalizeEntry, as searchLogQuery reads a proposed entry of a kind the
 * world logs (LOGGED_KINDS): the body Rekor logs for it, or an EntryError (400) in the kind's own words.
 */
export function canonicalBody(proposed: Record<string, unknown>): object {
  try {
    return unmarshalEntry(proposed).canonicalize();
  } catch (error) {
    if (error instanceof Refusal || error instanceof CanonicalizeFailure) throw new EntryError(error.message);
    throw error;
  }
}
