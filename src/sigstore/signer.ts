// One identity, one key, one certificate, N bundles.
//
// sigstore-js's FulcioSigner fetches a token and a certificate on every signature; PyPI needs one DSSE
// envelope per dist, so signing 20 dists that way would cost 20 Fulcio round trips and 20 OIDC tokens.
// Like sigstore-python's `Signer(cache=True)` (what the incumbent action uses), we obtain ONE token
// (audience `sigstore`), ONE ephemeral P-256 key and ONE Fulcio certificate and sign every dist with them.
// The credential is cached as a promise, so concurrent sign() calls share a single Fulcio request.
// Fulcio certificates live 10 minutes and Rekor's integrated time must fall inside that window, so a
// credential is replaced (new token, key and certificate) once it gets within `refreshMarginMs` of expiry.
//
// Each dist gets its own statement → DSSE envelope → Rekor v1 `dsse` 0.0.1 entry (rekor-witness.ts), plus
// an RFC 3161 timestamp from each timestamp authority the signing config selects (tsa-witness.ts).
// Rekor v1 only: PyPI relies on the signed entry timestamp (SET). The certificate request
// (fulcio-client.ts) and the witnesses use the caller's HTTP client, so their pool and retries are ours.
import { X509Certificate, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import type { SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder } from '@sigstore/sign';
import type { Signature, Signer, Witness } from '@sigstore/sign';
import type { HttpClient } from '../http/client.ts';
import type { WitnessHttp } from './witness-call.ts';
import { DEFAULT_RETRY } from '../http/retry.ts';
import { SigningError, SigstoreError } from './errors.ts';
import { bundleToPep740 } from './pep740.ts';
import { createRekorWitness } from './rekor-witness.ts';
import { createTsaWitness } from './tsa-witness.ts';
import { challengeSubject, requestSigningCertificate } from './fulcio-client.ts';
import { IN_TOTO_PAYLOAD_TYPE, PUBLISH_PREDICATE, statementBytes } from './statement.ts';
import type { Predicate } from './statement.ts';
import { SIGSTORE_AUDIENCE, type DistSigner, type IdentityProvider, type SignedDist } from './types.ts';
import { scrub } from '../report/scrub.ts';

export interface DistSignerOptions {
  identity: IdentityProvider;
  fulcioURL: string;
  rekorURL: string;
  /** the timestamp authorities the signing config selects (none: no RFC 3161 timestamp) */
  tsaURLs?: string[] | undefined;
  /** carries the Rekor and TSA requests; its pool should be as wide as the signing concurrency */
  http: HttpClient;
  /** per-request timeout for Fulcio/Rekor/TSA, before the test time scale (default 15 s; Rekor can be slow under load) */
  timeoutMs?: number;
  /** extra attempts on network errors, a cut body, 408, 429, 5xx (default 4, as for every request) */
  retries?: number;
  /** called with every OIDC token as soon as it is obtained, so the caller can mask it in logs */
  onSecret?: (secret: string) => void;
  /** replace the certificate when it has less than this left (default 2 min) */
  refreshMarginMs?: number;
  /** clock, for tests */
  now?: () => number;
  /** what every statement says of its dist (default: PyPI's publish predicate) */
  predicate?: Predicate;
}

export interface CertifiedDistSigner extends DistSigner {
  /** how many certificates (= OIDC tokens = Fulcio calls) this signer has obtained so far */
  readonly certificatesIssued: number;
  certify(): Promise<void>;
}

interface Credential {
  privateKey: KeyObject;
  /** leaf certificate, canonical 64-column PEM */
  certificatePEM: string;
  notBefore: number;
  notAfter: number;
}

// sigstore-python compares base64(PEM) of the certificate with the `verifier` Rekor stored; Python emits
// 64-column PEM, so send Rekor exactly that regardless of how the CA wrapped its PEM.
function canonicalPEM(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  const parts = [e?.message ?? String(err)];
  if (e?.cause?.message && !parts[0]!.includes(e.cause.message)) parts.push(e.cause.message);
  return parts.join(': ');
}

async function identityToken(identity: IdentityProvider): Promise<string> {
  try {
    return await identity.getToken(SIGSTORE_AUDIENCE);
  } catch (err) {
    // Identity errors are already typed and actionable (e.g. missing id-token: write): pass them through.
    if (err instanceof SigstoreError) throw err;
    throw new SigningError('SIGN_IDENTITY', `could not get an OIDC token for Sigstore: ${describe(err)}`, { cause: err });
  }
}

/** One OIDC token, one ephemeral P-256 key and one Fulcio certificate for it. */
async function obtainCredential(opts: DistSignerOptions, witnessHttp: WitnessHttp): Promise<Credential> {
  const token = await identityToken(opts.identity);
  opts.onSecret?.(token);

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const failed = (why: string, cause?: unknown) =>
    new SigningError('SIGN_CERTIFICATE', `Fulcio (${opts.fulcioURL}) did not issue a signing certificate: ${why}`, cause === undefined ? undefined : { cause });
  let subject: string;
  try {
    subject = challengeSubject(token);
  } catch {
    throw failed('the OIDC token has no usable subject claim');
  }
  let leafPEM: string;
  try {
    leafPEM = await requestSigningCertificate(
      { ...witnessHttp, fulcioURL: opts.fulcioURL },
      {
        token,
        publicKeyPEM: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        proofOfPossession: cryptoSign('sha256', Buffer.from(subject), privateKey),
      },
    );
  } catch (err) {
    // Fulcio's words help; the token must never be among them.
    throw failed(scrub(describe(err), [token]), err);
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(leafPEM);
  } catch (err) {
    throw new SigningError('SIGN_CERTIFICATE', `Fulcio (${opts.fulcioURL}) returned an unreadable certificate`, { cause: err });
  }
  if (!cert.checkPrivateKey(privateKey)) {
    throw new SigningError('SIGN_CERTIFICATE', `Fulcio (${opts.fulcioURL}) returned a certificate for another key`);
  }
  return { privateKey, certificatePEM: canonicalPEM(Buffer.from(cert.raw)), notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) };
}

/**
 * The credential, reused while comfortably valid. It is cached as a promise, so concurrent callers share
 * one Fulcio request; a failed attempt is forgotten so that the next caller tries again.
 */
function credentialCache(obtain: () => Promise<Credential>, marginMs: number, now: () => number) {
  let issued = 0;
  let current: { promise: Promise<Credential>; cred?: Credential } | undefined;
  return {
    get issued() {
      return issued;
    },
    get(): Promise<Credential> {
      if (current) {
        const c = current.cred;
        if (!c) return current.promise;
        const slack = Math.min(marginMs, (c.notAfter - c.notBefore) / 2);
        if (now() < c.notAfter - slack) return current.promise;
      }
      const entry: { promise: Promise<Credential>; cred?: Credential } = { promise: obtain() };
      current = entry;
      entry.promise.then(
        (cred) => {
          issued++;
          entry.cred = cred;
        },
        () => {
          if (current === entry) current = undefined;
        },
      );
      return entry.promise;
    },
  };
}

/** The bundle of one dist, with the failing service and the file named in any error. */
async function bundleFor(builder: DSSEBundleBuilder, dist: { filename: string; sha256: string }, opts: DistSignerOptions): Promise<SerializedBundle> {
  let json: SerializedBundle;
  try {
    json = bundleToJSON(await builder.create({ data: statementBytes(dist, opts.predicate ?? PUBLISH_PREDICATE), type: IN_TOTO_PAYLOAD_TYPE }));
  } catch (err) {
    // The witnesses' errors say what happened; here they also get the service and the file.
    if (err instanceof SigningError && (err.code === 'SIGN_TLOG' || err.code === 'SIGN_TSA')) {
      const service = err.code === 'SIGN_TSA' ? `the timestamp authority (${(opts.tsaURLs ?? []).join(', ')})` : `Rekor (${opts.rekorURL})`;
      throw new SigningError(err.code, `${service} failed for ${dist.filename}: ${err.message}`, { cause: err });
    }
    if (err instanceof SigstoreError) throw err; // identity / certificate failures, already explained
    throw new SigningError('SIGN_BUNDLE', `signing failed for ${dist.filename}: ${describe(err)}`, { cause: err });
  }
  normalizeProofDefaults(json);
  const entry = json.verificationMaterial.tlogEntries[0];
  if (entry?.kindVersion?.kind !== 'dsse' || entry.kindVersion.version !== '0.0.1' || !entry.inclusionPromise) {
    throw new SigningError('SIGN_BUNDLE', `Rekor (${opts.rekorURL}) did not return a dsse 0.0.1 entry with a signed entry timestamp for ${dist.filename}`);
  }
  return json;
}

export function createDistSigner(opts: DistSignerOptions): CertifiedDistSigner {
  const retries = opts.retries ?? DEFAULT_RETRY.attempts - 1;
  // Fulcio, Rekor and the TSA all go through the caller's HTTP client, with one retry policy.
  const witnessHttp: WitnessHttp = { http: opts.http, timeoutMs: opts.timeoutMs ?? 15_000, retry: { ...DEFAULT_RETRY, attempts: retries + 1 } };
  const credentials = credentialCache(() => obtainCredential(opts, witnessHttp), opts.refreshMarginMs ?? 2 * 60_000, opts.now ?? Date.now);

  const signer: Signer = {
    async sign(data: Buffer): Promise<Signature> {
      const c = await credentials.get();
      return { signature: cryptoSign('sha256', data, c.privateKey), key: { $case: 'x509Certificate', certificate: c.certificatePEM } };
    },
  };
  const witnesses: Witness[] = [createRekorWitness(opts.rekorURL, witnessHttp), ...(opts.tsaURLs ?? []).map((url) => createTsaWitness(url, witnessHttp))];
  const builder = new DSSEBundleBuilder({ signer, witnesses });

  return {
    get certificatesIssued() {
      return credentials.issued;
    },
    async certify() {
      await credentials.get();
    },
    async sign(dist: { filename: string; sha256: string }): Promise<SignedDist> {
      const json = await bundleFor(builder, dist, opts);
      const signed: SignedDist = { filename: dist.filename, sha256: dist.sha256, bundle: json, attestation: bundleToPep740(json) };
      if (opts.predicate && opts.predicate !== PUBLISH_PREDICATE) signed.predicateType = opts.predicate.type;
      return signed;
    },
  };
}

// protobuf-JSON drops default values, so an inclusion proof for leaf 0 or a 1-leaf tree loses `logIndex`
// / `hashes`; sigstore-python (sigstore-models) requires both. Put the defaults back so the
// .sigstore.json bundle parses everywhere.
function normalizeProofDefaults(json: SerializedBundle): void {
  for (const e of json.verificationMaterial.tlogEntries) {
    if (e.logIndex === undefined) (e as { logIndex: string }).logIndex = '0';
    const p = e.inclusionProof as { logIndex?: string; hashes?: string[] } | undefined;
    if (p) {
      p.logIndex ??= '0';
      p.hashes ??= [];
    }
  }
}
