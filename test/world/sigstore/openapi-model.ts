// The Validate of rekor's generated models (pkg/generated/models, go-swagger over go-openapi/validate
// and go-openapi/errors), as each kind's Unmarshal runs it on the spec, in its words:
//  - a leaf check names its field by its full path ("data.hash.algorithm in body is required");
//  - an object's Validate collects one error per failing field, in the order the model lists them;
//  - a parent takes of a child object's errors only the first leaf (errors.As finds it inside the
//    composite) and names it again, by the child's path then a dot: "data.data.hash.data.hash.…";
//  - the spec's own list is a CompositeValidationError: "validation failure list:" then one line
//    per failing field of the spec.
// __tests__/world/real-servers.test.ts holds these words to rekor-server itself.

/** One field's failure: its message, already named by its path; or undefined when it passed. */
export type Failure = string | undefined;

/** validate.Required of a pointer, slice or map: refused when absent (Go's nil). */
export const required = (path: string, present: boolean): Failure => (present ? undefined : `${path} in body is required`);

/** validate.EnumCase (case-sensitive): the value one of the listed strings. */
export const oneOf = (path: string, value: string, allowed: string[]): Failure =>
  allowed.includes(value) ? undefined : `${path} in body should be one of [${allowed.join(' ')}]`;

/** validate.Pattern: the value matches the model's regular expression (quoted as the document writes it). */
export const pattern = (path: string, value: string, re: RegExp): Failure => (re.test(value) ? undefined : `${path} in body should match '${re.source}'`);

/** validate.MinItems. */
export const minItems = (path: string, count: number, min: number): Failure => (count >= min ? undefined : `${path} in body should have at least ${min} items`);

/** The first failure of a field's checks, which run in order and stop at the first that fails. */
export const first = (...checks: Array<() => Failure>): Failure => {
  for (const check of checks) {
    const failure = check();
    if (failure !== undefined) return failure;
  }
  return undefined;
};

/**
 * A child object's Validate as its parent reports it: the first of its failures, named again by the
 * child's path (ValidateName prefixes `path.` to a message that has a name already).
 */
export const nested = (path: string, failures: Failure[]): Failure => {
  const found = failures.find((f) => f !== undefined);
  return found === undefined ? undefined : `${path}.${found}`;
};

/** The spec's Validate: undefined when every field passed, else the CompositeValidationError's text. */
export function failureList(failures: Failure[]): string | undefined {
  const found = failures.filter((f): f is string => f !== undefined);
  return found.length === 0 ? undefined : `validation failure list:\n${found.join('\n')}`;
}
