// Fulcio's `/api/v2/signingCert` as the real service answers it (sigstore/fulcio pkg/server):
// - the identity token comes from `credentials.oidcIdentityToken`, or else the `Authorization: Bearer`
//   header (what sigstore-python and cosign send); it is verified against the world's GitHub issuer;
// - the key comes with its proof of possession in either form: `publicKeyRequest` (the PEM key and the
//   token's `sub` signed with it, what sigstore-js sends) or `certificateSigningRequest` (a PEM CSR,
//   base64 as protobuf-JSON bytes, whose own signature is the proof);
// - failures are gRPC-gateway errors `{code, message, details}` with Fulcio's client messages, all
//   InvalidArgument (HTTP 400), the token's too; success is 200 (grpc-gateway), not v1's 201;
// - the chain is leaf → intermediate → root (ca.ts), PEMs in 64-column form (sigstore-js.md §4.2).
// The GitHub extensions come from @sigstore/mock's handler, given the verified claims; a GitLab
// token gets the extensions of Fulcio's gitlab-pipeline provider (gitlab-extensions.ts), a CircleCI
// token those of its circleci-job provider (circleci-extensions.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { fulcioHandler } from '@sigstore/mock';
import { json, type Reply, type Route, type WorldRequest } from '../faults.ts';
import { createCertificateAuthority, type CertificateAuthority, type ClaimExtension, type LeafRequest } from './ca.ts';
import type { CTLog } from './ctlog.ts';
import { circleCIExtensions, circleCISubjectAltName } from './circleci-extensions.ts';
import { GITLAB_REQUIRED_CLAIMS, gitLabExtensions, gitLabSubjectAltName } from './gitlab-extensions.ts';
import { readSigningCertRequest, RequestSyntaxError, type SigningCertRequest } from './fulcio-request.ts';
import { fromPEM, toPEM } from './pem.ts';

const GITLAB_ISSUER = 'https://gitlab.com';
const CIRCLECI_ISSUER = 'https://oidc.circleci.com';
const TOKEN_SUBJECT_OID = '1.3.6.1.4.1.57264.1.24';

/** Verifies an OIDC identity token and returns its claims; throws when it is not acceptable. */
export type TokenVerifier = (jwt: string) => Promise<Record<string, unknown>>;

// The mock takes the SAN from one named claim of the (unverified) token it is handed, so the verified
// claims are re-encoded with this extra claim holding the SAN real Fulcio derives for GitHub.
const SAN_CLAIM = 'world_fulcio_san';

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

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const unsigned = (claims: object): string => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;

// The body's token, else the header's: Fulcio's HTTP front takes out the first "Bearer " (as written)
// and gRPC metadata trims what is left.
function tokenOf(request: SigningCertRequest, headers: WorldRequest['headers']): string {
  const inBody = request.credentials?.oidcIdentityToken;
  if (inBody) return inBody;
  const auth = headers.authorization;
  return typeof auth === 'string' ? auth.replace('Bearer ', '').trim() : '';
}

// cryptoutils.ValidatePubKey: ECDSA on P-256/384/521, RSA of 2048 bits or more, Ed25519.
function secure(key: KeyObject): boolean {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return ['prime256v1', 'secp384r1', 'secp521r1'].includes(String(d.namedCurve));
  if (key.asymmetricKeyType === 'rsa') return (d.modulusLength ?? 0) >= 2048;
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

type KeyResult = { key: KeyObject } | { error: Reply };

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
  return valid ? { key } : { error: refuse(FULCIO_ERRORS.invalidSignature) };
}

// Option 2: the PEM public key, checked, and its signature over the token's subject.
function keyFromProof(request: SigningCertRequest, subject: string): KeyResult {
  let key: KeyObject;
  try {
    key = createPublicKey(request.publicKeyRequest?.publicKey?.content ?? '');
  } catch {
    return { error: refuse(FULCIO_ERRORS.invalidPublicKey) };
  }
  if (!secure(key)) return { error: refuse(FULCIO_ERRORS.insecurePublicKey) };
  const proof = request.publicKeyRequest?.proofOfPossession ?? Buffer.alloc(0);
  const valid = (() => {
    try {
      return verify(defaultHash(key), Buffer.from(subject), key, proof);
    } catch {
      return false;
    }
  })();
  return valid ? { key } : { error: refuse(FULCIO_ERRORS.invalidSignature) };
}

export function createFulcio(verifyToken: TokenVerifier, ctlog: CTLog, start: Date): Fulcio {
  const ca: CertificateAuthority = createCertificateAuthority(ctlog, start);
  // The mock derives GitHub's extensions from the claims but not the token's subject, which Fulcio
  // adds to every leaf (1.3.6.1.4.1.57264.1.24): the CA it calls adds it, for the request being served.
  const tokenSubject = new AsyncLocalStorage<string>();
  const withSubject = {
    ...ca,
    issueCertificate: (request: LeafRequest) =>
      ca.issueCertificate({ ...request, extensions: [...(request.extensions ?? []), { oid: TOKEN_SUBJECT_OID, value: tokenSubject.getStore() ?? '' }] }),
  };
  const handler = fulcioHandler(withSubject as unknown as Parameters<typeof fulcioHandler>[0], { strict: true, subjectClaim: SAN_CLAIM });
  const chainPEMs = ca.chain.map((c) => toPEM(c));

  async function signingCert(req: WorldRequest): Promise<Reply> {
    let request: SigningCertRequest;
    try {
      request = readSigningCertRequest(req.body);
    } catch (error) {
      if (!(error instanceof RequestSyntaxError)) throw error;
      return refuse(error.message);
    }
    let claims: Record<string, unknown>;
    try {
      claims = await verifyToken(tokenOf(request, req.headers));
    } catch {
      return refuse(FULCIO_ERRORS.invalidIdentityToken);
    }
    const found = request.certificateSigningRequest ? keyFromCSR(request.certificateSigningRequest) : keyFromProof(request, String(claims.sub));
    if ('error' in found) return found.error;
    if (claims.iss === GITLAB_ISSUER) return gitLabCertificate(claims, found.key);
    if (claims.iss === CIRCLECI_ISSUER) return ciCertificate(circleCISubjectAltName(claims), circleCIExtensions(claims), found.key);
    if (typeof claims.job_workflow_ref !== 'string') return refuse('token has no job_workflow_ref claim');

    const forwarded = {
      credentials: { oidcIdentityToken: unsigned({ ...claims, [SAN_CLAIM]: `https://github.com/${claims.job_workflow_ref}` }) },
      publicKeyRequest: { publicKey: { content: found.key.export({ format: 'pem', type: 'spki' }).toString() } },
    };
    const result = await tokenSubject.run(String(claims.sub ?? ''), () => handler.fn(JSON.stringify(forwarded)));
    if (result.statusCode !== 201) return json(500, { code: 13, message: 'error communicating with CA backend', details: [] });
    const leaf = fromPEM(JSON.parse(String(result.response)).signedCertificateEmbeddedSct.chain.certificates[0] as string);
    // 200, not the mock's 201: Fulcio v2 answers through grpc-gateway, and sigstore-go (cosign) refuses
    // any other status.
    return json(200, { signedCertificateEmbeddedSct: { chain: { certificates: [toPEM(leaf), ...chainPEMs] } } });
  }

  async function gitLabCertificate(claims: Record<string, unknown>, key: KeyObject): Promise<Reply> {
    const missing = GITLAB_REQUIRED_CLAIMS.find((name) => claims[name] === undefined || claims[name] === '');
    if (missing) return refuse(`token has no ${missing} claim`);
    return ciCertificate(gitLabSubjectAltName(claims), gitLabExtensions(claims), key);
  }

  // A leaf of a ci-provider principal: its SAN and extensions, the CA's chain after it.
  async function ciCertificate(subjectAltName: string, extensions: ClaimExtension[], key: KeyObject): Promise<Reply> {
    const leaf = await ca.issueCertificate({ publicKey: key.export({ format: 'der', type: 'spki' }), subjectAltName, extensions });
    return json(200, { signedCertificateEmbeddedSct: { chain: { certificates: [toPEM(leaf), ...chainPEMs] } } });
  }

  return {
    root: ca.root,
    chain: ca.chain,
    ctlogPublicKey: ctlog.publicKey,
    routes: () => [
      { method: 'POST', path: '/api/v2/signingCert', handle: signingCert },
      { method: 'GET', path: '/api/v2/trustBundle', handle: () => json(200, { chains: [{ certificates: chainPEMs }] }) },
    ],
  };
}
