// Fulcio built from @sigstore/mock's CA, CT log and handler, plus what the mock leaves out:
// the identity token is verified against the world's GitHub issuer (401 like real Fulcio when it is
// unsigned, expired or for another audience), the proof of possession is checked, the SAN is GitHub's
// `https://github.com/{job_workflow_ref}`, and PEMs come back in 64-column form (sigstore-js.md §4.2).
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock';
import { json, type Route } from '../faults.ts';
import { rewrapPEM, toPEM } from './pem.ts';
import { bufferOf } from './der.ts';

/** Verifies an OIDC identity token and returns its claims; throws when it is not acceptable. */
export type TokenVerifier = (jwt: string) => Promise<Record<string, unknown>>;

// The mock takes the SAN from one named claim of the (unverified) token it is handed, so the verified
// claims are re-encoded with this extra claim holding the SAN real Fulcio derives for GitHub.
const SAN_CLAIM = 'world_fulcio_san';

export interface Fulcio {
  /** Root certificate (DER). */
  root: Buffer;
  /** CT log SubjectPublicKeyInfo (DER); its sha256 is the CT log id. */
  ctlogPublicKey: Buffer;
  routes(): Route[];
}

interface SigningCertRequest {
  credentials?: { oidcIdentityToken?: string };
  publicKeyRequest?: { publicKey?: { content?: string }; proofOfPossession?: string };
}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const unsigned = (claims: object): string => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
const ecKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

// A real Fulcio is a warm, long-running service. The mock's CA builds certificates with
// @peculiar/x509, whose first certificate costs V8 ~3x the later ones (~45 ms against ~15 ms here):
// one throwaway certificate at start keeps that out of the first run's certificate request. It is
// not logged anywhere (the CT log only signs an SCT) and changes no state a test can see.
async function warmUp(handler: ReturnType<typeof fulcioHandler>): Promise<void> {
  const { privateKey, publicKey } = ecKeyPair();
  const sub = 'repo:world/warm-up:ref:refs/heads/main';
  const request = {
    credentials: { oidcIdentityToken: unsigned({ sub, [SAN_CLAIM]: 'https://github.com/world/warm-up/.github/workflows/warm-up.yml@refs/heads/main' }) },
    publicKeyRequest: {
      publicKey: { algorithm: 'ECDSA', content: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
      proofOfPossession: sign('sha256', Buffer.from(sub), privateKey).toString('base64'),
    },
  };
  const result = await handler.fn(JSON.stringify(request));
  if (result.statusCode !== 201) throw new Error(`world Fulcio could not issue its warm-up certificate: ${String(result.response)}`);
}

export async function createFulcio(verifyToken: TokenVerifier): Promise<Fulcio> {
  const ctlog = await initializeCTLog(ecKeyPair());
  const ca = await initializeCA(ecKeyPair(), ctlog);
  const handler = fulcioHandler(ca, { strict: true, subjectClaim: SAN_CLAIM });
  const root = bufferOf(ca.rootCertificate);
  await warmUp(handler);

  async function signingCert(raw: Buffer) {
    let request: SigningCertRequest;
    try {
      request = JSON.parse(raw.toString('utf8')) as SigningCertRequest;
    } catch {
      return json(400, { code: 3, message: 'request body is not JSON' });
    }
    const token = request.credentials?.oidcIdentityToken;
    const publicKey = request.publicKeyRequest?.publicKey?.content;
    const proof = request.publicKeyRequest?.proofOfPossession;
    if (!token || !publicKey || !proof) return json(400, { code: 3, message: 'missing token, public key or proof of possession' });

    let claims: Record<string, unknown>;
    try {
      claims = await verifyToken(token);
    } catch (err) {
      return json(401, { code: 16, message: `There was an error processing the identity token: ${(err as Error).message}` });
    }
    // Real Fulcio's challenge for a CI token: the public key must have signed the `sub` claim.
    const signedSubject = (() => {
      try {
        return verify('sha256', Buffer.from(String(claims.sub)), createPublicKey(publicKey), Buffer.from(proof, 'base64'));
      } catch {
        return false;
      }
    })();
    if (!signedSubject) return json(400, { code: 3, message: 'The signature supplied in the request could not be verified' });
    if (typeof claims.job_workflow_ref !== 'string') return json(400, { code: 3, message: 'token has no job_workflow_ref claim' });

    const forwarded = { ...request, credentials: { oidcIdentityToken: unsigned({ ...claims, [SAN_CLAIM]: `https://github.com/${claims.job_workflow_ref}` }) } };
    const result = await handler.fn(JSON.stringify(forwarded));
    if (result.statusCode !== 201) return json(result.statusCode, { code: 3, message: String(result.response) });
    const body = JSON.parse(String(result.response)) as { signedCertificateEmbeddedSct: { chain: { certificates: string[] } } };
    const chain = body.signedCertificateEmbeddedSct.chain;
    chain.certificates = chain.certificates.map(rewrapPEM);
    return json(201, body);
  }

  return {
    root,
    ctlogPublicKey: ctlog.publicKey,
    routes: () => [
      { method: 'POST', path: '/api/v2/signingCert', handle: (req) => signingCert(req.body) },
      { method: 'GET', path: '/api/v2/trustBundle', handle: () => json(200, { chains: [{ certificates: [toPEM(root)] }] }) },
    ],
  };
}
