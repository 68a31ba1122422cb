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
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { json, type Reply, type Route, type WorldRequest } from '../faults.ts';
import { fulcioPermits, goHashName, RSA_BITS } from './algorithm-registry.ts';
import { createCertificateAuthority, type CertificateAuthority } from './ca.ts';
import { CI_PROVIDERS, ciProviderLeaf } from './ci-provider.ts';
import type { CTLog } from './ctlog.ts';
import {
  readLegacySigningCertRequest,
  readSigningCertRequest,
  RequestSyntaxError,
  type LegacySigningCertRequest,
  type SigningCertRequest,
} from './fulcio-request.ts';
import { fromPEM, toPEM } from './pem.ts';
import { verifyDigest } from './prehashed.ts';

/** Verifies an OIDC identity token and returns its claims; throws when it is not acceptable. */
export type TokenVerifier = (jwt: string) => Promise<Record<string, unknown>>;

// Fulcio's client messages (pkg/server/error.go).
export const FULCIO_ERRORS = {
  invalidSignature: 'The signature supplied in the request could not be verified',
  invalidPublicKey: 'The public key supplied in the request could not be parsed',
  invalidCSR: 'The certificate signing request could not be parsed',
  insecurePublicKey: 'The public key supplied in the request is insecure',
  invalidIdentityToken: 'There was an error processing the identity token',
} as const;

const INVALID_ARGUMENT = 3;
const refuse = (message: string): Reply => json(400, { code: INVALID_ARGUMENT, message, details: [] });

export interface Fulcio {
  /** Root certificate (DER). */
  root: Buffer;
  /** Intermediate then root (DER), as the trusted root lists the chain. */
  chain: Buffer[];
  /** CT log SubjectPublicKeyInfo (DER); its sha256 is the CT log id. */
  ctlogPublicKey: Buffer;
  routes(): Route[];
}

// The body's token, else the header's: Fulcio's HTTP front takes out the first "Bearer " (as written)
// and gRPC metadata trims what is left.
function tokenOf(request: SigningCertRequest, headers: WorldRequest['headers']): string {
  const inBody = request.credentials?.oidcIdentityToken;
  if (inBody) return inBody;
  const auth = headers.authorization;
  return typeof auth === 'string' ? auth.replace('Bearer ', '').trim() : '';
}

// sigstore's goodkey.ValidatePubKey: ECDSA on P-256/384/521, RSA of exactly 2048, 3072 or 4096 bits
// with the exponent 65537, Ed25519. (Its checks of an RSA modulus's small factors and Fermat
// factorization never fail for a key node:crypto generated.)
function secure(key: KeyObject): boolean {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return ['prime256v1', 'secp384r1', 'secp521r1'].includes(String(d.namedCurve));
  if (key.asymmetricKeyType === 'rsa') return RSA_BITS.includes(d.modulusLength ?? 0) && d.publicExponent === 65537n;
  return key.asymmetricKeyType === 'ed25519';
}

const HASH_OF_SIGNATURE: Record<string, string | null> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.3.101.112': null,
};

// sigstore/sigstore's LoadDefaultVerifier: the curve decides an ECDSA key's hash, RSA is SHA-256.
function defaultHash(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null;
  return { secp384r1: 'sha384', secp521r1: 'sha512' }[String(key.asymmetricKeyDetails?.namedCurve)] ?? 'sha256';
}

/** A checked key and the hash its signature (the CSR's, or the proof's) was made with; null for Ed25519. */
type KeyResult = { key: KeyObject; hash: string | null } | { error: Reply };

// Option 1 of CreateSigningCertificate: the CSR's public key, checked, and the CSR's own signature.
function keyFromCSR(pem: Buffer): KeyResult {
  let info: ASN1Obj;
  let algorithm: string;
  let signature: Buffer;
  let key: KeyObject;
  try {
    const csr = ASN1Obj.parseBuffer(fromPEM(pem.toString('utf8')) as Buffer<ArrayBuffer>);
    [info, algorithm, signature] = [csr.subs[0]!, csr.subs[1]!.subs[0]!.toOID(), csr.subs[2]!.value.subarray(1)];
    key = createPublicKey({ key: info.subs[2]!.toDER(), format: 'der', type: 'spki' });
  } catch {
    return { error: refuse(FULCIO_ERRORS.invalidCSR) };
  }
  if (!secure(key)) return { error: refuse(FULCIO_ERRORS.insecurePublicKey) };
  const hash = HASH_OF_SIGNATURE[algorithm];
  const valid =
    hash !== undefined &&
    (() => {
      try {
        return verify(hash, info.toDER(), key, signature);
      } catch {
        return false;
      }
    })();
  return valid ? { key, hash: hash ?? null } : { error: refuse(FULCIO_ERRORS.invalidSignature) };
}

// Option 2: the PEM public key, checked, and its signature over the token's subject.
function keyFromProof(request: SigningCertRequest, subject: string): KeyResult {
  let key: KeyObject;
  try {
    key = createPublicKey(request.publicKeyRequest?.publicKey?.content?.toString('utf8') ?? '');
  } catch {
    return { error: refuse(FULCIO_ERRORS.invalidPublicKey) };
  }
  if (!secure(key)) return { error: refuse(FULCIO_ERRORS.insecurePublicKey) };
  const proof = request.publicKeyRequest?.proofOfPossession ?? Buffer.alloc(0);
  return proves(key, subject, proof) ? { key, hash: defaultHash(key) } : { error: refuse(FULCIO_ERRORS.invalidSignature) };
}

// The default verifier's check of the proof (sigstore/sigstore pkg/signature): an ECDSA signature in
// ASN.1 DER when Go's asn1 reads it as such, else in IEEE P1363 (what WebCrypto signs), over the
// curve's hash; RSA PKCS #1 v1.5 over SHA-256; Ed25519 over the subject itself. Rekor verifies
// signatures over a digest the same way (prehashed.ts).
function proves(key: KeyObject, subject: string, proof: Buffer): boolean {
  const hash = defaultHash(key);
  if (hash !== null) return verifyDigest(key, createHash(hash).update(subject).digest(), proof).ok;
  try {
    return verify(null, Buffer.from(subject), key, proof);
  } catch {
    return false;
  }
}

const GO_KEY_TYPES: Record<string, string> = { ec: '*ecdsa.PublicKey', rsa: '*rsa.PublicKey', ed25519: 'ed25519.PublicKey' };

// A key and hash pair Fulcio's registry does not permit passes every other check and fails here: a
// CSR of a P-384 key signed with SHA-256.
function notPermitted({ key, hash }: { key: KeyObject; hash: string | null }): Reply | undefined {
  if (fulcioPermits(key, hash)) return undefined;
  return refuse(`signing algorithm not permitted: ${GO_KEY_TYPES[String(key.asymmetricKeyType)]}, ${goHashName(hash)}`);
}

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
  const credentials = { oidcIdentityToken: tokenOf({}, headers) };
  if (legacy.certificateSigningRequest?.length) return { credentials, certificateSigningRequest: legacy.certificateSigningRequest };
  if (!legacy.publicKey) return refuse(FULCIO_ERRORS.invalidPublicKey);
  const publicKey = { content: legacy.publicKey.content ?? Buffer.alloc(0) };
  return { credentials, publicKeyRequest: { publicKey, ...(legacy.signedEmailAddress ? { proofOfPossession: legacy.signedEmailAddress } : {}) } };
}

/** A request body as `read` takes it, or grpc-gateway's refusal of it. */
function readBody<T>(read: (body: Buffer) => T, body: Buffer): T | { refused: Reply } {
  try {
    return read(body);
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
    let claims: Record<string, unknown>;
    try {
      claims = await verifyToken(tokenOf(request, headers));
    } catch {
      return refuse(FULCIO_ERRORS.invalidIdentityToken);
    }
    const found = request.certificateSigningRequest ? keyFromCSR(request.certificateSigningRequest) : keyFromProof(request, String(claims.sub));
    if ('error' in found) return found.error;
    const refused = notPermitted(found);
    if (refused) return refused;
    const provider = CI_PROVIDERS.get(claims.iss);
    if (!provider) return refuse(FULCIO_ERRORS.invalidIdentityToken);
    const leaf = ciProviderLeaf(provider, claims);
    if ('error' in leaf) return refuse(leaf.error);
    const der = await ca.issueCertificate({ publicKey: found.key.export({ format: 'der', type: 'spki' }), ...leaf });
    return [toPEM(der), ...chainPEMs];
  }

  async function signingCert(req: WorldRequest): Promise<Reply> {
    const request = readBody(readSigningCertRequest, req.body);
    if ('refused' in request) return request.refused;
    const chain = await createSigningCertificate(request, req.headers);
    // 200, not v1's 201: Fulcio v2 answers through grpc-gateway, and sigstore-go (cosign) refuses any other status.
    return Array.isArray(chain) ? json(200, { signedCertificateEmbeddedSct: { chain: { certificates: chain } } }) : chain;
  }

  // The legacy API answers 201 with the chain as PEM, and no SCT header: the SCT is embedded.
  async function legacySigningCert(req: WorldRequest): Promise<Reply> {
    const legacy = readBody(readLegacySigningCertRequest, req.body);
    if ('refused' in legacy) return legacy.refused;
    const request = fromLegacy(legacy, req.headers);
    if ('status' in request) return request;
    const chain = await createSigningCertificate(request, req.headers);
    // Fulcio's CertPEM and ChainPEM trim each certificate's PEM; the trust bundle's keep their newline.
    return Array.isArray(chain) ? { ...pemChain(chain.map((pem) => pem.trim())), status: 201 } : chain;
  }

  return {
    root: ca.root,
    chain: ca.chain,
    ctlogPublicKey: ctlog.publicKey,
    routes: () => [
      { method: 'POST', path: '/api/v2/signingCert', handle: signingCert },
      { method: 'GET', path: '/api/v2/trustBundle', handle: () => json(200, { chains: [{ certificates: chainPEMs }] }) },
      { method: 'POST', path: '/api/v1/signingCert', handle: legacySigningCert },
      { method: 'GET', path: '/api/v1/rootCert', handle: () => pemChain(chainPEMs) },
    ],
  };
}
