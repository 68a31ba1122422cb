// What every kind of rekor's (pkg/types: types.EntryImpl) gives the server once it has read a
// proposed entry's spec, and how it refuses one. rekor-entry.ts runs the steps in rekor-server's
// order: Unmarshal (the kind's DecodeEntry, its model's Validate, its checks), then, to insert,
// Insertable, then Canonicalize.

/** A kind's refusal, in its words: createLogEntry answers it 400 "error processing entry: …", a search 400 as it is. */
export class Refusal extends Error {}

/** A failure of Canonicalize that is no InputValidationError: createLogEntry answers 500 "error generating canonicalized entry". */
export class CanonicalizeFailure extends Error {}

export const refuse = (message: string): never => {
  throw new Refusal(message);
};

/** Go's error of a step that returns it as is (a key that does not parse, JSON that does not), as a Refusal. */
export function refusing<T>(step: () => T, prefix = ''): T {
  try {
    return step();
  } catch (error) {
    // Only a plain Error carries Go's words; anything else is the world's own fault, thrown on.
    if (!(error instanceof Error) || error.constructor !== Error) throw error;
    throw new Refusal(`${prefix}${error.message}`);
  }
}

/** An entry as its kind's Unmarshal left it. */
export interface KindEntry {
  /** Insertable's refusal (createLogEntry's "entry not insertable into log: …"), or undefined. */
  notInsertable(): string | undefined;
  /** createLogEntry's checkEntryAlgorithms (hashedrekord only): whether the key and hash are permitted. */
  algorithmsPermitted?(): boolean;
  /** IndexKeys of an entry logged: the keys the search index files it under. */
  indexKeys(): string[];
  /** Canonicalize: the body as the kind marshals it, before rekor's JCS; throws Refusal or CanonicalizeFailure. */
  canonicalize(): object;
}

/** Go's name (%T) of a JSON value as go-openapi decodes a spec (json.Decoder with UseNumber). */
function goTypeOf(value: unknown): string {
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'number') return 'json.Number';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

/** The spec as every kind's DecodeEntry takes it: a JSON object, any other value refused. */
export function specObject(spec: unknown): Record<string, unknown> {
  if (isObject(spec)) return spec;
  return refuse(`unsupported input type ${goTypeOf(spec)} for DecodeEntry`);
}

/** A JSON object (Go's map[string]any). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field DecodeEntry reads only when it is a string (`.(string)`). */
export const stringField = (object: Record<string, unknown> | undefined, key: string): string | undefined =>
  typeof object?.[key] === 'string' ? (object[key] as string) : undefined;

/** A field DecodeEntry reads only when it is an object (`.(map[string]any)`). */
export const objectField = (object: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined =>
  isObject(object?.[key]) ? (object[key] as Record<string, unknown>) : undefined;
