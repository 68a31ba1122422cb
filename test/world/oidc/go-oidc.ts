// coreos/go-oidc's IDTokenVerifier.Verify (v3.19, oidc/verify.go, the version Fulcio v1.8.8 is built
// with), the check Fulcio makes of every token with the issuer's client ID (`sigstore`) as audience,
// in its order and words: the JWS parsed by go-jose v4 (jws.go ParseSigned: every unicode.IsSpace rune
// dropped first, then three parts of unpadded base64url, RS256 only) and its signature verified; then
// the payload read into go-oidc's idToken with Go's encoding/json (a claim of the wrong type refused,
// keys matched without regard to case); the distributed claims' sources; the issuer, the audience, the
// expiry (no leeway: a token without `exp` is expired) and `nbf` (five minutes of leeway, for clock
// skew). `iat` is read but never checked. Fulcio answers every refusal with one message of its own;
// these words are for the world's logs and tests.
import { compactVerify } from 'jose';
import { BASE64_URL_ALPHABET, goBase64Corruption } from '../go-base64.ts';
import { goFieldEntry, goKeyMatches } from '../go-json.ts';
import { goQuoteText } from '../go-quote.ts';

const LEEWAY_MS = 5 * 60_000;
const q = goQuoteText;

/** The token as Fulcio's principals read it: go-oidc's IDToken fields and the claims as a map. */
export interface IDToken {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

/** time.Time's String() of an instant (in UTC), with `monotonic` (seconds since the process started) as time.Now() has it. */
export function goTime(ms: number, monotonic?: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const nanos = `${iso.slice(20, 23)}${String(Math.round((ms % 1) * 1e6)).padStart(6, '0')}`.replace(/0+$/, '');
  const m = monotonic === undefined ? '' : ` m=+${monotonic.toFixed(9)}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${nanos ? `.${nanos}` : ''} +0000 UTC${m}`;
}

// unicode.IsSpace: Latin-1's spaces (NEL and the no-break space among them) and the White_Space
// property's others; not U+FEFF, which JavaScript's \s has.
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;

/** go-jose's stripWhitespace, which ParseSigned applies to the whole token before anything else. */
export const goStripWhitespace = (token: string): string => token.replace(GO_SPACE, '');

/** base64.RawURLEncoding.DecodeString: the URL alphabet, no padding, CR and LF skipped. */
export function goRawURLDecode(text: string): Buffer {
  if (goBase64Corruption(text, BASE64_URL_ALPHABET, false) >= 0) throw new Error('illegal base64 data');
  return Buffer.from(text.replace(/[\r\n]/g, ''), 'base64url');
}

const unmarshalError = (detail: string) => new Error(`oidc: failed to unmarshal claims: ${detail}`);

/**
 * jsonTime's UnmarshalJSON: a JSON number (or a string holding one), whole seconds; undefined when
 * absent. idToken's `exp` and `iat` are jsonTime values, whose UnmarshalJSON is handed a null and
 * fails on it (json.Number "" parses as no float); `nbf` is a pointer, which a null leaves nil.
 */
function jsonTime(value: unknown, name: string, pointer = false): number | undefined {
  if (value === undefined || (value === null && pointer)) return undefined;
  if (value === null) throw unmarshalError('strconv.ParseFloat: parsing "": invalid syntax');
  const n = typeof value === 'string' && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number') throw unmarshalError(`json: cannot unmarshal ${typeof value} into Go struct field idToken.${name} of type json.Number`);
  return Math.trunc(n) * 1000;
}

/** A Go string field: a JSON string, or null (which leaves it empty). */
function goString(value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw unmarshalError(`json: cannot unmarshal ${typeof value} into Go struct field idToken.${name} of type string`);
  return value;
}

/** audience's UnmarshalJSON: a string (null reads as ""), else a []string (a null element as ""). */
function audienceOf(aud: unknown): string[] {
  if (aud === undefined) return [];
  if (aud === null || typeof aud === 'string') return [aud ?? ''];
  if (Array.isArray(aud) && aud.every((a) => a === null || typeof a === 'string')) return aud.map((a) => a ?? '');
  throw unmarshalError('json: cannot unmarshal into Go struct field idToken.aud of type []string');
}

/** A map[string]T field: null or an object, each value read by `read`. */
function goMap<T>(value: unknown, name: string, read: (v: unknown) => T): Map<string, T> {
  if (value === undefined || value === null) return new Map();
  if (typeof value !== 'object' || Array.isArray(value)) throw unmarshalError(`json: cannot unmarshal into Go struct field idToken.${name} of type map`);
  return new Map(Object.entries(value).map(([k, v]) => [k, read(v)]));
}

/** claimSource {Endpoint `endpoint`, AccessToken `access_token`}: null, or an object whose two fields are strings. */
function claimSource(value: unknown): unknown {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw unmarshalError('json: cannot unmarshal into Go struct field idToken._claim_sources of type oidc.claimSource');
  for (const [key, field] of Object.entries(value)) {
    for (const name of ['endpoint', 'access_token']) if (goKeyMatches(key, name)) goString(field, `_claim_sources.${name}`);
  }
  return value;
}

/** Every key that encoding/json decodes into the field tagged `name` is type-checked by `read`; the last one's value counts. */
function goFieldOf<T>(claims: Record<string, unknown>, name: string, read: (v: unknown) => T): T {
  for (const [key, value] of Object.entries(claims)) if (goKeyMatches(key, name)) read(value);
  return read(goFieldEntry(claims, name)?.[1]);
}

/** json.Unmarshal of the payload into idToken, then the claim names' sources, as Verify reads them. */
function readIDToken(payload: Buffer) {
  let claims: unknown;
  try {
    claims = JSON.parse(payload.toString('utf8'));
  } catch {
    throw unmarshalError('the payload is no JSON');
  }
  // A JSON null leaves every field empty; any other value that is no object is refused.
  if (claims === null) claims = {};
  if (typeof claims !== 'object' || Array.isArray(claims)) throw unmarshalError('json: cannot unmarshal into Go value of type oidc.idToken');
  const c = claims as Record<string, unknown>;
  const token = {
    claims: c,
    issuer: goFieldOf(c, 'iss', (v) => goString(v, 'iss')),
    subject: goFieldOf(c, 'sub', (v) => goString(v, 'sub')),
    audience: goFieldOf(c, 'aud', audienceOf),
    expiry: goFieldOf(c, 'exp', (v) => jsonTime(v, 'exp')) ?? Date.parse('0001-01-01T00:00:00Z'),
    notBefore: goFieldOf(c, 'nbf', (v) => jsonTime(v, 'nbf', true)),
  };
  goFieldOf(c, 'iat', (v) => jsonTime(v, 'iat'));
  for (const name of ['nonce', 'at_hash']) goFieldOf(c, name, (v) => goString(v, name));
  const names = goFieldOf(c, '_claim_names', (v) => goMap(v, '_claim_names', (s) => goString(s, '_claim_names')));
  const sources = goFieldOf(c, '_claim_sources', (v) => goMap(v, '_claim_sources', claimSource));
  for (const source of names.values()) {
    if (source === '') throw new Error('oidc: failed to obtain source from claim name');
    if (!sources.has(source)) throw new Error('oidc: source does not exist');
  }
  return token;
}

/** go-jose's ParseSigned and the key set's verification: the payload, or go-oidc's error. */
async function verifyJWT(jwt: string, key: Parameters<typeof compactVerify>[1]): Promise<Buffer> {
  const compact = goStripWhitespace(jwt);
  const parts = compact.split('.');
  if (parts.length !== 3) throw new Error('oidc: malformed jwt: go-jose/go-jose: compact JWS format must have three parts');
  try {
    parts.forEach(goRawURLDecode);
  } catch {
    throw new Error('oidc: malformed jwt: illegal base64 data');
  }
  try {
    return Buffer.from((await compactVerify(compact, key, { algorithms: ['RS256'] })).payload);
  } catch {
    throw new Error('failed to verify signature: failed to verify id token signature');
  }
}

/** Verify with an issuer's verifier (`issuer`, client ID `audience`, RS256 keys `key`); returns the token or throws go-oidc's error. */
export async function goOIDCVerify(jwt: string, key: Parameters<typeof compactVerify>[1], issuer: string, audience: string): Promise<IDToken> {
  const token = readIDToken(await verifyJWT(jwt, key));
  if (token.issuer !== issuer) throw new Error(`oidc: id token issued by a different provider, expected ${q(issuer)} got ${q(token.issuer)}`);
  if (!token.audience.includes(audience)) throw new Error(`oidc: expected audience ${q(audience)} got [${token.audience.map(q).join(' ')}]`);
  const now = performance.timeOrigin + performance.now();
  if (token.expiry < now) throw new Error(`oidc: token is expired (Token Expiry: ${goTime(token.expiry)})`);
  if (token.notBefore !== undefined && now + LEEWAY_MS < token.notBefore) {
    throw new Error(`oidc: current time ${goTime(now, process.uptime())} before the nbf (not before) time: ${goTime(token.notBefore)}`);
  }
  return { issuer: token.issuer, subject: token.subject, claims: token.claims };
}
