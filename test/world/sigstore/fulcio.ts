// Fulcio's `/api/v2/signingCert`, and the legacy `/api/v1/signingCert` and `/api/v1/rootCert` that
// cosign 2 and older use, as the real service answers them (sigstore/fulcio pkg/server; the legacy
// server turns its request into a v2 one and calls the v2 handler, here too):
// - the identity token comes from `credentials.oidcIdentityToken`, or else the `Authorization: Bearer`
//   header (what sigstore-python and cosign send); it is verified against the world's issuer of its
//   `iss` (GitHub's, GitLab's, CircleCI's);
// - the key comes with its proof of possession in either form: `publicKeyRequest` (the PEM key and the
//   token's `sub` signed with it, what sigstore-js sends) or `certificateSigningRequest` (a PEM CSR,
//   base64 as protobuf-JSON bytes, whose own signature is the proof);
// - failures are gRPC-gateway errors `{code, message, details}` with Fulcio's client messages, all
//   InvalidArgument (HTTP 400), the token's too; success is 200 (grpc-gateway), not v1's 201;
// - the key and the hash of its proof must be a pair Fulcio permits by default;
// - the leaf's SAN and extensions are what the issuer's ci-provider templates render (ci-provider.ts),
//   and a template that cannot render is Fulcio's refusal;
// - the chain is leaf → intermediate → root (ca.ts), PEMs in 64-column form (sigstore-js.md §4.2).
import type { KeyObject } from 'node:crypto';
import { rsCorsDefault } from '../cors.ts';
import { type Front, json, type Reply, type Route, type WorldRequest } from '../faults.ts';
import { goQuote } from '../go-quote.ts';
import type { IDToken } from '../oidc/go-oidc.ts';
import { fulcioPermits, goHashName } from './algorithm-registry.ts';
import { createCertificateAuthority, type CertificateAuthority } from './ca.ts';
import { CONFIGURED_ISSUERS, ciProviderFor, ciProviderLeaf } from './ci-provider.ts';
import type { CTLog } from './ctlog.ts';
import {
  readLegacySigningCertRequest,
  readSigningCertRequest,
  RequestSyntaxError,
  type LegacySigningCertRequest,
  type SigningCertRequest,
} from './fulcio-request.ts';
import { FULCIO_ERRORS, keyFromCSR, keyFromProof, type KeyResult } from './fulcio-key.ts';
import { extractIssuerURL, metadataRefusal, tokenOf } from './fulcio-token.ts';
import { toPEM } from './pem.ts';

/** Verifies an OIDC identity token with the verifier of `issuer` (the one it names); throws when it is not acceptable. */
export type TokenVerifier = (jwt: string, issuer: string) => Promise<IDToken>;

const INVALID_ARGUMENT = 3;
const INTERNAL = 13;
const refuse = (message: string): Reply => json(400, { code: INVALID_ARGUMENT, message, details: [] });

/**
 * grpc-go's refusal of the metadata the gateway made of the headers (fulcio-token.ts): every route's
 * gateway handler calls its gRPC server with it, after the body is decoded and before Fulcio's own
 * code runs, so a bad Authorization header fails even a request whose token is in the body.
 */
function metadataRefused(headers: WorldRequest['headers']): Reply | undefined {
  const message = metadataRefusal(headers);
  return message === undefined ? undefined : json(500, { code: INTERNAL, message, details: [] });
}

export interface Fulcio {
  /** Root certificate (DER). */
  root: Buffer;
  /** Intermediate then root (DER), as the trusted root lists the chain. */
  chain: Buffer[];
  /** CT log SubjectPublicKeyInfo (DER); its sha256 is the CT log id. */
  ctlogPublicKey: Buffer;
  routes(): Route[];
  /** cmd/app/http.go's middleware around the gateway */
  front: Front;
}

// cmd/app/serve.go's maxMsgSize, the bound WithMaxBytes puts on every request body.
const MAX_BODY_BYTES = 1 << 22;

const GO_KEY_TYPES: Record<string, string> = { ec: '*ecdsa.PublicKey', rsa: '*rsa.PublicKey', ed25519: 'ed25519.PublicKey' };

// A key and hash pair Fulcio's registry does not permit passes every other check and fails here: a
// CSR of a P-384 key signed with SHA-256.
function notPermitted({ key, hash }: { key: KeyObject; hash: string | null }): Reply | undefined {
  if (fulcioPermits(key, hash)) return undefined;
  return refuse(`signing algorithm not permitted: ${GO_KEY_TYPES[String(key.asymmetricKeyType)]}, ${goHashName(hash)}`);
}

/**
 * GetConfiguration (grpc_server.go; config.go ToIssuers): every configured issuer as protojson writes
 * an OIDCIssuer with the gateway's EmitUnpopulated, the oneof's URL first and then every other field,
 * empty or not. Go lists the issuers in its maps' order, which changes from one call to the next.
 */
function configuration(): Reply {
  const { urls, wildcards } = CONFIGURED_ISSUERS;
  const fields = {
    audience: 'sigstore',
    challengeClaim: 'sub',
    spiffeTrustDomain: '',
    issuerType: 'ci-provider',
    subjectDomain: '',
    skipEmailVerification: false,
  };
  const issuers = [...urls.map((issuerUrl) => ({ issuerUrl })), ...wildcards.map((wildcardIssuerUrl) => ({ wildcardIssuerUrl }))];
  return json(200, { issuers: issuers.map((issuer) => ({ ...issuer, ...fields })) });
}

// grpc-gateway's WithHealthzEndpoint, asking Fulcio's health server, which is always serving.
const HEALTHZ: Reply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"SERVING"}\n' };

/** The PEMs one after another, as the legacy server writes a chain: each with a newline after it, the whole trimmed. */
const pemChain = (pems: string[]): Reply => ({
  status: 200,
  headers: { 'content-type': 'application/pem-certificate-chain' },
  body: pems
    .map((pem) => `${pem}\n`)
    .join('')
    .trim(),
});

/**
 * The legacy v1beta request as legacyGRPCCAServer hands it to the v2 handler: the token only from
 * the Authorization header, a non-empty CSR, else the public key and the signed "email address" as
 * a key request; without either, its own refusal, before the token is looked at.
 */
function fromLegacy(legacy: LegacySigningCertRequest, headers: WorldRequest['headers']): SigningCertRequest | Reply {
  const credentials = { oidcIdentityToken: tokenOf(undefined, headers) };
  if (legacy.certificateSigningRequest?.length) return { credentials, certificateSigningRequest: legacy.certificateSigningRequest };
  if (!legacy.publicKey) return refuse(FULCIO_ERRORS.invalidPublicKey);
  const publicKey = { content: legacy.publicKey.content ?? Buffer.alloc(0) };
  return { credentials, publicKeyRequest: { publicKey, ...(legacy.signedEmailAddress ? { proofOfPossession: legacy.signedEmailAddress } : {}) } };
}

/** The key to certify: from the CSR, or else from the key request (option 1 or 2), or Fulcio's refusal. */
function keyOf(request: SigningCertRequest, subject: string): KeyResult {
  // An empty CSR sets the oneof but is no CSR: `len(GetCertificateSigningRequest()) > 0`.
  if (request.certificateSigningRequest?.length) return keyFromCSR(request.certificateSigningRequest);
  const keyRequest = request.publicKeyRequest;
  return keyFromProof(keyRequest?.publicKey?.content ?? Buffer.alloc(0), keyRequest?.proofOfPossession ?? Buffer.alloc(0), subject);
}

/** A request body as `read` takes it, or grpc-gateway's refusal of it. */
function readBody<T>(read: (body: Buffer, overLimit?: boolean) => T, req: WorldRequest): T | { refused: Reply } {
  try {
    return read(req.body, req.overLimit);
  } catch (error) {
    if (!(error instanceof RequestSyntaxError)) throw error;
    return { refused: refuse(error.message) };
  }
}

export function createFulcio(verifyToken: TokenVerifier, ctlog: CTLog, start: Date): Fulcio {
  const ca: CertificateAuthority = createCertificateAuthority(ctlog, start);
  const chainPEMs = ca.chain.map((c) => toPEM(c));

  /** CreateSigningCertificate (v2's handler, which v1 calls too): the chain, leaf first, or the refusal. */
  async function createSigningCertificate(request: SigningCertRequest, headers: WorldRequest['headers']): Promise<string[] | Reply> {
    let token: IDToken;
    try {
      const jwt = tokenOf(request.credentials?.oidcIdentityToken, headers);
      token = await verifyToken(jwt, extractIssuerURL(jwt));
    } catch {
      return refuse(FULCIO_ERRORS.invalidIdentityToken);
    }
    // The proof is over the principal's Name(), go-oidc's Subject: "" for a token without `sub`.
    const found = keyOf(request, token.subject);
    if ('error' in found) return refuse(found.error);
    const refused = notPermitted(found);
    if (refused) return refused;
    const provider = ciProviderFor(token.issuer);
    if (!provider) return refuse(FULCIO_ERRORS.invalidIdentityToken);
    const leaf = ciProviderLeaf(provider, token);
    if ('error' in leaf) return refuse(leaf.error);
    // x509 refuses a URI that is no IA5String (a raw query or opaque part may keep non-ASCII); Fulcio
    // takes every error of its CA for a ValidationError (an interface any error satisfies): a 400.
    if (/[^\x00-\x7f]/.test(leaf.subjectAltName))
      return refuse(`x509: ${goQuote(Buffer.from(leaf.subjectAltName).toString('latin1'))} cannot be encoded as an IA5String`);
    const der = await ca.issueCertificate({ publicKey: found.key.export({ format: 'der', type: 'spki' }), ...leaf });
    // Fulcio's CertPEM and ChainPEM trim each certificate's PEM; the trust bundle's keep their newline.
    return [toPEM(der).trim(), ...chainPEMs.map((pem) => pem.trim())];
  }

  async function signingCert(req: WorldRequest): Promise<Reply> {
    const request = readBody(readSigningCertRequest, req);
    if ('refused' in request) return request.refused;
    const badMetadata = metadataRefused(req.headers);
    if (badMetadata) return badMetadata;
    const chain = await createSigningCertificate(request, req.headers);
    // 200, not v1's 201: Fulcio v2 answers through grpc-gateway, and sigstore-go (cosign) refuses any other status.
    return Array.isArray(chain) ? json(200, { signedCertificateEmbeddedSct: { chain: { certificates: chain } } }) : chain;
  }

  // The legacy API answers 201 with the chain as PEM, and no SCT header: the SCT is embedded.
  async function legacySigningCert(req: WorldRequest): Promise<Reply> {
    const legacy = readBody(readLegacySigningCertRequest, req);
    if ('refused' in legacy) return legacy.refused;
    const badMetadata = metadataRefused(req.headers);
    if (badMetadata) return badMetadata;
    const request = fromLegacy(legacy, req.headers);
    if ('status' in request) return request;
    const chain = await createSigningCertificate(request, req.headers);
    return Array.isArray(chain) ? { ...pemChain(chain), status: 201 } : chain;
  }

  return {
    root: ca.root,
    chain: ca.chain,
    ctlogPublicKey: ctlog.publicKey,
    // rs/cors in front of WithMaxBytes, in front of the gateway.
    front: { maxBodyBytes: MAX_BODY_BYTES, handle: rsCorsDefault },
    routes: () => [
      { method: 'POST', path: '/api/v2/signingCert', handle: signingCert },
      { method: 'GET', path: '/api/v2/trustBundle', handle: (req) => metadataRefused(req.headers) ?? json(200, { chains: [{ certificates: chainPEMs }] }) },
      { method: 'POST', path: '/api/v1/signingCert', handle: legacySigningCert },
      { method: 'GET', path: '/api/v1/rootCert', handle: (req) => metadataRefused(req.headers) ?? pemChain(chainPEMs) },
      { method: 'GET', path: '/api/v2/configuration', handle: (req) => metadataRefused(req.headers) ?? configuration() },
      { method: 'GET', path: '/healthz', handle: (req) => metadataRefused(req.headers) ?? HEALTHZ },
    ],
  };
}
