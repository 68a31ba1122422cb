// Fulcio's one request of a run (POST /api/v2/signingCert), on the action's HTTP client like Rekor and
// the TSA: the same retries, timeouts and request log, and no second HTTP stack. sigstore-js's
// FulcioSigner sent it through make-fetch-happen, whose first request loaded that stack in the middle
// of the run's path to its first signature.
//
// The request is sigstore-js's and sigstore-python's: the OIDC token, the ephemeral public key (PEM) and
// the proof of possession, the token's subject signed with that key. The answer's first certificate
// is the leaf; the caller checks it is for this key.
import { SigningError } from './errors.ts';
import { UnreadableAnswer, withUnreadableRetry, witnessCall, type WitnessHttp } from './witness-call.ts';

interface SigningCertResponse {
  signedCertificateEmbeddedSct?: { chain?: { certificates?: unknown } };
  signedCertificateDetachedSct?: { chain?: { certificates?: unknown } };
}

/** The claim Fulcio's challenge is made of: `sub`, or a verified `email` for Google's issuer. */
export function challengeSubject(jwt: string): string {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const subject = payload['iss'] === 'https://accounts.google.com' && payload['email_verified'] === true ? payload['email'] : payload['sub'];
  if (typeof subject !== 'string' || subject === '') throw new Error('no subject claim');
  return subject;
}

/** The leaf certificate (PEM) Fulcio issues for `publicKeyPEM`; failures are SIGN_CERTIFICATE errors. */
export async function requestSigningCertificate(
  opts: WitnessHttp & { fulcioURL: string },
  request: { token: string; publicKeyPEM: string; proofOfPossession: Buffer },
): Promise<string> {
  const body = JSON.stringify({
    credentials: { oidcIdentityToken: request.token },
    publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: request.publicKeyPEM }, proofOfPossession: request.proofOfPossession.toString('base64') },
  });
  return withUnreadableRetry(async () => {
    const res = await witnessCall(opts, 'SIGN_CERTIFICATE', {
      method: 'POST',
      url: `${opts.fulcioURL.replace(/\/+$/, '')}/api/v2/signingCert`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: () => body,
    });
    let parsed: SigningCertResponse | null;
    try {
      parsed = JSON.parse(res.text()) as SigningCertResponse;
    } catch {
      throw new UnreadableAnswer('SIGN_CERTIFICATE', `HTTP ${res.status} with a body that is not JSON`);
    }
    const chain = (parsed?.signedCertificateEmbeddedSct ?? parsed?.signedCertificateDetachedSct)?.chain?.certificates;
    const leaf = Array.isArray(chain) ? chain[0] : undefined;
    if (typeof leaf !== 'string' || !leaf.includes('BEGIN CERTIFICATE')) throw new SigningError('SIGN_CERTIFICATE', 'the answer holds no certificate chain');
    return leaf;
  });
}
