// The identity token as Fulcio's HTTP front hands it on, before go-oidc looks at it (go-oidc.ts):
// - where it is found: the request's `credentials.oidcIdentityToken`, else the Authorization header,
//   from which cmd/app/http.go takes out the first "Bearer " (as written);
// - the gRPC metadata the front makes of that header: grpc-gateway passes `authorization` on as it
//   is, and Fulcio's annotator adds `oidcidentitytoken`; grpc-go's client refuses a value with a byte
//   outside %x20-%x7E (internal/metadata ValidatePair) before any handler runs, as an Internal error;
// - the issuer it names, which picks the verifier (pkg/identity/issuerpool.go extractIssuerURL):
//   exactly two dots, the middle part unpadded base64url, read by encoding/json for its `iss`.
import type { IncomingHttpHeaders } from 'node:http';
import { goFieldEntry, goKeyMatches } from '../go-json.ts';
import { goRawURLDecode } from '../oidc/go-oidc.ts';

/** The body's token, else the header's. */
export function tokenOf(inBody: string | undefined, headers: IncomingHttpHeaders): string {
  if (inBody) return inBody;
  const auth = headers.authorization;
  // gRPC metadata trims what is left.
  return typeof auth === 'string' ? auth.replace('Bearer ', '').trim() : '';
}

const nonPrintable = (value: string) => /[^\x20-\x7e]/.test(value);

/**
 * grpc-go's refusal of the metadata made of the Authorization header, or undefined. Both pairs carry
 * a bad byte of the token alike; Validate ranges over the metadata map, whose order Go draws afresh
 * each time, so either key may be named.
 */
export function metadataRefusal(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth !== 'string') return undefined;
  const bad = [
    ['authorization', auth],
    ['oidcidentitytoken', auth.replace('Bearer ', '')],
  ].filter(([, value]) => nonPrintable(value!));
  if (bad.length === 0) return undefined;
  const [key] = bad[Math.floor(Math.random() * bad.length)]!;
  return `header key "${key}" contains value with non-printable ASCII characters`;
}

/** extractIssuerURL: the token's `iss` as encoding/json reads it into a struct, or the refusal. */
export function extractIssuerURL(token: string): string {
  if (token.split('.').length !== 3) throw new Error('oidc: malformed jwt, token must have 3 parts');
  let payload: unknown;
  try {
    payload = JSON.parse(goRawURLDecode(token.split('.')[1]!).toString('utf8'));
  } catch (error) {
    throw new Error(`oidc: malformed jwt payload: ${(error as Error).message}`);
  }
  if (payload === null) return '';
  if (typeof payload !== 'object' || Array.isArray(payload)) throw new Error('oidc: failed to unmarshal claims: not an object');
  // Each key that folds to `iss` is decoded in turn: any one that is no string fails the whole.
  const claims = payload as Record<string, unknown>;
  for (const [key, value] of Object.entries(claims)) {
    if (goKeyMatches(key, 'iss') && value !== null && typeof value !== 'string') throw new Error('oidc: failed to unmarshal claims: iss is no string');
  }
  return (goFieldEntry(claims, 'iss')?.[1] as string | null | undefined) ?? '';
}
