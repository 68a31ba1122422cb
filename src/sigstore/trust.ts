// Where signing goes and what verification trusts. Two sources only:
//  (a) a ClientTrustConfig JSON file (PYPI_PUBLISH_TRUST_CONFIG; the local world writes one): trusted root
//      plus a signing config naming the Fulcio / Rekor / TSA URLs;
//  (b) production: public-good Fulcio + Rekor v1 and the trusted root from Sigstore's TUF repository —
//      the same instance PyPI verifies against (sigstore-python `Verifier.production()`).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientTrustConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import type { Service, SigningConfig, TransparencyLogInstance } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { toTrustMaterial } from '@sigstore/verify';
import type { TrustMaterial } from '@sigstore/verify';
import { isLoopbackHost } from '../config/loopback.ts';
import { redactUrl } from '../http/client.ts';
import { TrustError } from './errors.ts';

export const PUBLIC_GOOD_FULCIO_URL = 'https://fulcio.sigstore.dev';
// Rekor v1 on purpose: PyPI needs the SET (inclusion promise) only v1 gives, and sigstore-js cannot put
// DSSE into Rekor v2 in a form sigstore-python accepts (docs/sigstore-js.md §1.3).
export const PUBLIC_GOOD_REKOR_URL = 'https://rekor.sigstore.dev';

export interface SigstoreTrust {
  trustMaterial: TrustMaterial;
  /** what trustMaterial was made from: a verifier thread builds its own from it */
  trustedRoot: TrustedRoot;
  fulcioURL: string;
  rekorURL: string;
  /** optional; PEP 740 attestations carry no TSA timestamps, so only the .sigstore.json bundle gains */
  tsaURL?: string;
}

/** Trust from a ClientTrustConfig JSON file (protobuf-JSON, `…clienttrustconfig.v0.1+json`). */
export async function trustFromConfigFile(file: string, now: Date = new Date()): Promise<SigstoreTrust> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `cannot read the Sigstore trust config ${file}: ${(err as Error).message}`, { cause: err });
  }
  return trustFromClientConfig(raw, file, now);
}

export function trustFromClientConfig(raw: unknown, source = 'the trust config', now: Date = new Date()): SigstoreTrust {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TrustError('TRUST_CONFIG', `${source} must be a JSON object (a Sigstore ClientTrustConfig) with trustedRoot and signingConfig`);
  }
  const cfg = ClientTrustConfig.fromJSON(raw);
  if (!cfg.trustedRoot || !cfg.signingConfig) {
    throw new TrustError('TRUST_CONFIG', `${source} must contain both trustedRoot and signingConfig`);
  }
  requireVerificationKeys(source, cfg.trustedRoot);
  let trustMaterial: TrustMaterial;
  try {
    trustMaterial = toTrustMaterial(cfg.trustedRoot);
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `${source}: the trusted root is invalid: ${(err as Error).message}`, { cause: err });
  }
  const sc: SigningConfig = cfg.signingConfig;
  const fulcio = pick(sc.caUrls, 1, now);
  const rekor = pick(sc.rekorTlogUrls, 1, now);
  if (!fulcio) throw new TrustError('TRUST_CONFIG', `${source} lists no current Fulcio (v1 API) URL`);
  if (!rekor) {
    throw new TrustError('TRUST_CONFIG', `${source} lists no current Rekor v1 URL (PyPI attestations need Rekor v1's signed entry timestamp)`);
  }
  const tsa = pick(sc.tsaUrls, 1, now);
  for (const [role, service] of [['Fulcio', fulcio], ['Rekor', rekor], ['timestamp authority', tsa]] as const) {
    if (service) requireSafeTransport(source, role, service.url);
  }
  return { trustMaterial, trustedRoot: cfg.trustedRoot, fulcioURL: fulcio.url, rekorURL: rekor.url, ...(tsa ? { tsaURL: tsa.url } : {}) };
}

// toTrustMaterial accepts a root with empty lists, and the run would then fail only at verification,
// after signing. Our verifier (ctlogThreshold and tlogThreshold 1, verify.ts) and PyPI's (sigstore-python)
// both need a Fulcio CA, a CT log (the certificate's SCT) and a Rekor log; a timestamp authority is
// optional (PEP 740 attestations carry no timestamps).
function requireVerificationKeys(source: string, root: TrustedRoot): void {
  const hasKey = (logs: TransparencyLogInstance[]) => logs.some((log) => (log.publicKey?.rawBytes?.length ?? 0) > 0);
  const needs: Array<[boolean, string]> = [
    [root.certificateAuthorities.some((ca) => (ca.certChain?.certificates.length ?? 0) > 0), 'certificateAuthorities (the Fulcio CA certificate chain)'],
    [hasKey(root.ctlogs), 'ctlogs (the certificate transparency log key)'],
    [hasKey(root.tlogs), 'tlogs (the Rekor transparency log key)'],
  ];
  const missing = needs.filter(([present]) => !present).map(([, name]) => name);
  if (missing.length === 0) return;
  const names = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} or ${missing.at(-1)}`;
  throw new TrustError(
    'TRUST_CONFIG',
    `${source}: trustedRoot has no ${names}, so no attestation could be verified (PyPI checks each against a Fulcio CA, ` +
      'a certificate transparency log and a Rekor log; timestamp authorities are optional). Copy the missing entries from ' +
      "the Sigstore instance's trusted_root.json, or unset PYPI_PUBLISH_TRUST_CONFIG to use public-good Sigstore.",
  );
}

// Fulcio receives the run's OIDC token: like repository-url, a service is reached over https, or over
// plain http only on this machine.
function requireSafeTransport(source: string, role: string, url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && isLoopbackHost(parsed.hostname))) return;
  throw new TrustError('TRUST_CONFIG', `${source}: the ${role} URL ${redactUrl(url)} must be https:// (plain http is allowed only to this machine), or the OIDC token and signatures would cross the network unencrypted`);
}

// The service with the given major API version that is valid now, newest start first (as the signing
// config spec asks clients to choose).
function pick(services: Service[], major: number, now: Date): Service | undefined {
  return services
    .filter((s) => s.majorApiVersion === major)
    .filter((s) => !s.validFor?.start || s.validFor.start <= now)
    .filter((s) => !s.validFor?.end || s.validFor.end >= now)
    .sort((a, b) => (b.validFor?.start?.getTime() ?? 0) - (a.validFor?.start?.getTime() ?? 0))[0];
}

/**
 * Public-good Sigstore. The trusted root comes from Sigstore's TUF repository (root of trust embedded in
 * @sigstore/tuf), cached under `cacheDir` (e.g. $RUNNER_TEMP) so a run fetches it once.
 */
export async function productionTrust(cacheDir: string): Promise<SigstoreTrust> {
  let root: TrustedRoot;
  try {
    root = await getTrustedRoot({ cachePath: path.join(cacheDir, 'sigstore-tuf') });
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `cannot fetch Sigstore's trusted root from its TUF repository: ${(err as Error).message}`, { cause: err });
  }
  return { trustMaterial: toTrustMaterial(root), trustedRoot: root, fulcioURL: PUBLIC_GOOD_FULCIO_URL, rekorURL: PUBLIC_GOOD_REKOR_URL };
}

/** PYPI_PUBLISH_TRUST_CONFIG when set (test/rehearsal worlds), public-good otherwise. */
export async function loadTrust(opts: { trustConfigPath?: string | undefined; cacheDir: string }): Promise<SigstoreTrust> {
  return opts.trustConfigPath ? trustFromConfigFile(opts.trustConfigPath) : productionTrust(opts.cacheDir);
}
