// Query parameters as rekor-server's go-openapi code binds them (pkg/generated/restapi/operations):
// the last of repeated values, Go's strconv.ParseInt for int64s, and go-openapi's errors in their
// words and codes. The parameters are bound in the order the API lists them, and of several
// failures go-openapi serves the first (errors.ServeError flattens a CompositeError to it).
import { json, type Reply } from '../faults.ts';
import { goParseMediaType } from '../go-mime.ts';
import { goQuoteText as goQuote } from '../go-quote.ts';

/** A bound parameter, or go-openapi's answer refusing it. */
export type Bound<T> = { value: T } | { refused: Reply };

/** The raw value go-openapi binds: the last one given, '' when given empty, undefined when absent. */
const rawValue = (query: URLSearchParams, name: string): string | undefined => query.getAll(name).at(-1);

/** Go's strconv.ParseInt(raw, 10, 64): a sign, decimal digits, within int64. */
function parseInt64(raw: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(raw)) return undefined;
  const value = BigInt(raw);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined;
}

/** An int64 query parameter with a minimum: absent or empty is `fallback`, or refused when required. */
export function int64Param(query: URLSearchParams, name: string, rule: { min: bigint; required?: boolean; fallback?: bigint }): Bound<bigint | undefined> {
  const raw = rawValue(query, name);
  if (raw === undefined || raw === '') {
    return rule.required ? { refused: json(422, { code: 602, message: `${name} in query is required` }) } : { value: rule.fallback };
  }
  const value = parseInt64(raw);
  if (value === undefined) return { refused: json(422, { code: 601, message: `${name} in query must be of type int64: ${goQuote(raw)}` }) };
  if (value < rule.min) return { refused: json(422, { code: 609, message: `${name} in query should be greater than or equal to ${rule.min}` }) };
  return { value };
}

/** go-openapi's refusal of a parameter (in the query, the path, …) that does not match its pattern. */
export const patternRefusal = (name: string, place: string, pattern: RegExp): Reply =>
  json(422, { code: 605, message: `${name} in ${place} should match '${pattern.source}'` });

/** A string query parameter that must match `pattern` when given. */
export function patternParam(query: URLSearchParams, name: string, pattern: RegExp): Bound<string | undefined> {
  const raw = rawValue(query, name);
  if (raw === undefined || raw === '') return { value: undefined };
  if (!pattern.test(raw)) return { refused: patternRefusal(name, 'query', pattern) };
  return { value: raw };
}

/**
 * go-openapi's check of a request body's Content-Type before the handler: the header read by Go's
 * mime.ParseMediaType (400 with its error), then a media type the operation consumes (415). `absent`:
 * the media type a request without the header is taken as, or undefined when the server lets it pass
 * (rekor-server does; the timestamp authority takes it as application/octet-stream). Gives the media
 * type read, or the refusal.
 */
export function consumedMediaType(
  header: string | undefined,
  consumes: string[],
  absent?: string,
): { mediaType?: string } | { refused: { status: number; message: string } } {
  if (!header && absent === undefined) return {};
  const parsed = header ? goParseMediaType(header) : { mediaType: absent! };
  if ('error' in parsed)
    return { refused: { status: 400, message: `parsing Content-Type header from ${goQuote(header ?? '')} failed, because ${parsed.error}` } };
  if (consumes.includes(parsed.mediaType)) return parsed;
  return { refused: { status: 415, message: `unsupported media type ${JSON.stringify(parsed.mediaType)}, only [${consumes.join(' ')}] are allowed` } };
}
