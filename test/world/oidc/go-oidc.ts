// coreos/go-oidc's IDTokenVerifier.Verify (v3, oidc/verify.go), the check Fulcio makes of every
// token with the issuer's client ID (`sigstore`) as audience, in its order and words: the payload
// read (claims of the wrong type refused), the issuer, the audience, the expiry (no leeway: a token
// without `exp` is expired), `nbf` (five minutes of leeway, for clock skew), and only then the
// signature. `iat` is read but never checked. Fulcio answers every refusal with one message of its
// own; these words are for the world's logs and tests.
import { compactVerify } from 'jose';
import { goQuoteText } from '../go-quote.ts';

const LEEWAY_MS = 5 * 60_000;
const q = goQuoteText;

/** time.Time's String() of an instant (in UTC), with `monotonic` (seconds since the process started) as time.Now() has it. */
export function goTime(ms: number, monotonic?: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const nanos = `${iso.slice(20, 23)}${String(Math.round((ms % 1) * 1e6)).padStart(6, '0')}`.replace(/0+$/, '');
  const m = monotonic === undefined ? '' : ` m=+${monotonic.toFixed(9)}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${nanos ? `.${nanos}` : ''} +0000 UTC${m}`;
}

/**
 * jsonTime's UnmarshalJSON: a JSON number (or a string holding one), whole seconds; undefined when
 * absent. idToken's `exp` and `iat` are jsonTime values, whose UnmarshalJSON is handed a null and
 * fails on it (json.Number "" parses as no float); `nbf` is a pointer, which a null leaves nil.
 */
function jsonTime(value: unknown, name: string, pointer = false): number | undefined {
  if (value === undefined || (value === null && pointer)) return undefined;
  if (value === null) throw new Error('oidc: failed to unmarshal claims: strconv.ParseFloat: parsing "": invalid syntax');
  const n = typeof value === 'string' && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number')
    throw new Error(`oidc: failed to unmarshal claims: json: cannot unmarshal ${typeof value} into Go struct field idToken.${name} of type json.Number`);
  return Math.trunc(n) * 1000;
}

/** parseJWT and json.Unmarshal into idToken, with go-oidc's refusals. */
function readPayload(jwt: string): Record<string, unknown> {
  const parts = jwt.split('.');
  if (parts.length < 2) throw new Error(`oidc: malformed jwt: oidc: malformed jwt, expected 3 parts got ${parts.length}`);
  if (!/^[A-Za-z0-9_-]*$/.test(parts[1]!) || parts[1]!.length % 4 === 1)
    throw new Error('oidc: malformed jwt: oidc: malformed jwt payload: illegal base64 data');
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) return claims as Record<string, unknown>;
  } catch {}
  throw new Error('oidc: failed to unmarshal claims: the payload is no JSON object');
}

function audienceOf(aud: unknown): string[] {
  if (aud === undefined || aud === null) return [];
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud;
  throw new Error('oidc: failed to unmarshal claims: json: cannot unmarshal into Go struct field idToken.aud of type []string');
}

/** Verify with an issuer's verifier (`issuer`, client ID `audience`, RS256 keys `key`); returns the claims or throws go-oidc's error. */
export async function goOIDCVerify(jwt: string, key: Parameters<typeof compactVerify>[1], issuer: string, audience: string): Promise<Record<string, unknown>> {
  const claims = readPayload(jwt);
  const aud = audienceOf(claims.aud);
  const expiry = jsonTime(claims.exp, 'exp') ?? Date.parse('0001-01-01T00:00:00Z');
  jsonTime(claims.iat, 'iat');
  const notBefore = jsonTime(claims.nbf, 'nbf', true);
  if (claims.iss !== issuer) throw new Error(`oidc: id token issued by a different provider, expected ${q(issuer)} got ${q(String(claims.iss ?? ''))}`);
  if (!aud.includes(audience)) throw new Error(`oidc: expected audience ${q(audience)} got [${aud.map(q).join(' ')}]`);
  const now = performance.timeOrigin + performance.now();
  if (expiry < now) throw new Error(`oidc: token is expired (Token Expiry: ${goTime(expiry)})`);
  if (notBefore !== undefined && now + LEEWAY_MS < notBefore) {
    throw new Error(`oidc: current time ${goTime(now, process.uptime())} before the nbf (not before) time: ${goTime(notBefore)}`);
  }
  try {
    await compactVerify(jwt, key, { algorithms: ['RS256'] });
  } catch {
    throw new Error('failed to verify signature: failed to verify id token signature');
  }
  return claims;
}
