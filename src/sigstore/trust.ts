// Where signing goes and what verification trusts: a trusted root and a signing config (which Fulcio,
// Rekor and timestamp authorities to use, chosen in signing-config.ts). Two sources:
//  (a) production: Sigstore's TUF repository (public-good, whose initial root @sigstore/tuf embeds) serves
//      both, as trusted_root.json and signing_config.v0.2.json: the instance PyPI verifies against, and
//      its endpoints as public-good publishes them, so an endpoint change needs no new release. A test
//      seam points only the mirror URL and the initial root elsewhere (PYPI_PUBLISH_SIGSTORE_TUF_URL and
//      PYPI_PUBLISH_SIGSTORE_TUF_ROOT: the local world's TUF repository);
//  (b) a ClientTrustConfig JSON file (PYPI_PUBLISH_TRUST_CONFIG): trusted root plus signing config.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientTrustConfig, SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import type { TransparencyLogInstance } from '@sigstore/protobuf-specs';
import { initTUF } from '@sigstore/tuf';
import { toTrustMaterial } from '@sigstore/verify';
import type { TrustMaterial } from '@sigstore/verify';
import { isLoopbackHost } from '../config/loopback.ts';
import { redactUrl } from '../http/client.ts';
import { TrustError } from './errors.ts';
import { signingServices, type SigningServices } from './signing-config.ts';

// Public-good Rekor, for the summary's link to its search page only: where to sign comes from the
// signing config.
export const PUBLIC_GOOD_REKOR_URL = 'https://rekor.sigstore.dev';
const PUBLIC_GOOD_SOURCE = "public-good Sigstore's TUF repository";
const TRUSTED_ROOT_TARGET = 'trusted_root.json';
const SIGNING_CONFIG_TARGET = 'signing_config.v0.2.json';

export interface SigstoreTrust {
  trustMaterial: TrustMaterial;
  /** what trustMaterial was made from: a verifier thread builds its own from it */
  trustedRoot: TrustedRoot;
  fulcioURL: string;
  rekorURL: string;
  /** the timestamp authorities the signing config selects, possibly none; PEP 740 attestations carry no
   * TSA timestamps, so only the .sigstore.json bundle gains */
  tsaURLs: string[];
  /** where the trust came from, for the log */
  source: string;
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
  return trustFrom(cfg.trustedRoot, cfg.signingConfig, source, now);
}

/** Trust from a trusted root and a signing config, both checked; `source` names them in errors. */
export function trustFrom(trustedRoot: TrustedRoot, signingConfig: SigningConfig, source: string, now: Date = new Date()): SigstoreTrust {
  requireVerificationKeys(source, trustedRoot);
  let trustMaterial: TrustMaterial;
  try {
    trustMaterial = toTrustMaterial(trustedRoot);
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `${source}: the trusted root is invalid: ${(err as Error).message}`, { cause: err });
  }
  const services: SigningServices = signingServices(signingConfig, source, now);
  requireSafeTransport(source, 'Fulcio', services.fulcioURL);
  requireSafeTransport(source, 'Rekor', services.rekorURL);
  for (const url of services.tsaURLs) requireSafeTransport(source, 'timestamp authority', url);
  return { trustMaterial, trustedRoot, ...services, source };
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

/** Where the TUF repository is: public-good's by default, or the test seam's mirror and initial root. */
export interface TufSource {
  /** mirror URL; undefined for public-good's (with the initial root @sigstore/tuf embeds) */
  mirrorURL?: string | undefined;
  /** initial root.json for `mirrorURL` */
  rootPath?: string | undefined;
}

/**
 * Trust from a Sigstore TUF repository: trusted_root.json and signing_config.v0.2.json, verified by TUF
 * and cached under `cacheDir` (e.g. $RUNNER_TEMP) so a run fetches them once.
 */
export async function trustFromTuf(source: TufSource, cacheDir: string, now: Date = new Date()): Promise<SigstoreTrust> {
  const name = source.mirrorURL ? `the Sigstore TUF repository at ${redactUrl(source.mirrorURL)}` : PUBLIC_GOOD_SOURCE;
  if (source.mirrorURL) requireSafeTransport(name, 'TUF mirror', source.mirrorURL);
  let targets: [string, string];
  try {
    const tuf = await initTUF({
      cachePath: path.join(cacheDir, 'sigstore-tuf'),
      ...(source.mirrorURL ? { mirrorURL: source.mirrorURL, rootPath: source.rootPath } : {}),
    });
    targets = [await tuf.getTarget(TRUSTED_ROOT_TARGET), await tuf.getTarget(SIGNING_CONFIG_TARGET)];
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message;
    throw new TrustError('TRUST_CONFIG', `cannot fetch Sigstore's trusted root and signing config from ${name}: ${(err as Error).message}${cause ? `: ${cause}` : ''}`, { cause: err });
  }
  let parsed: [TrustedRoot, SigningConfig];
  try {
    parsed = [TrustedRoot.fromJSON(JSON.parse(targets[0])), SigningConfig.fromJSON(JSON.parse(targets[1]))];
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `${name} serves a ${TRUSTED_ROOT_TARGET} or ${SIGNING_CONFIG_TARGET} that is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return trustFrom(parsed[0], parsed[1], name, now);
}

/** The environment variables that choose the trust source. */
export interface TrustEnv {
  /** PYPI_PUBLISH_TRUST_CONFIG: a ClientTrustConfig file (rehearsal instances) */
  trustConfigPath?: string | undefined;
  /** PYPI_PUBLISH_SIGSTORE_TUF_URL and _ROOT: another TUF repository and its initial root (tests) */
  tufURL?: string | undefined;
  tufRoot?: string | undefined;
}

/** PYPI_PUBLISH_TRUST_CONFIG when set, else the TUF repository (public-good, or the test seam's). */
export async function loadTrust(opts: TrustEnv & { cacheDir: string }): Promise<SigstoreTrust> {
  if (opts.trustConfigPath) return trustFromConfigFile(opts.trustConfigPath);
  if (Boolean(opts.tufURL) !== Boolean(opts.tufRoot)) {
    throw new TrustError('TRUST_CONFIG', 'PYPI_PUBLISH_SIGSTORE_TUF_URL and PYPI_PUBLISH_SIGSTORE_TUF_ROOT go together: a TUF mirror is trusted only from an initial root.json of its own');
  }
  return trustFromTuf({ mirrorURL: opts.tufURL, rootPath: opts.tufRoot }, opts.cacheDir);
}

/** The trust a run uses, from the environment variables above; `cacheDir` holds the TUF cache. */
export function loadTrustFromEnv(env: Readonly<Record<string, string | undefined>>, cacheDir: string): Promise<SigstoreTrust> {
  return loadTrust({
    trustConfigPath: env['PYPI_PUBLISH_TRUST_CONFIG'] || undefined,
    tufURL: env['PYPI_PUBLISH_SIGSTORE_TUF_URL'] || undefined,
    tufRoot: env['PYPI_PUBLISH_SIGSTORE_TUF_ROOT'] || undefined,
    cacheDir,
  });
}

/** What the log says of the trust: where it came from unless public-good, then the services chosen. */
export function describeTrust(trust: SigstoreTrust): string[] {
  const services = `Sigstore signing config: Fulcio ${trust.fulcioURL}, Rekor ${trust.rekorURL}, ` +
    `timestamp authority ${trust.tsaURLs.length ? trust.tsaURLs.join(', ') : 'none'}`;
  return trust.source === PUBLIC_GOOD_SOURCE ? [services] : [`Using ${trust.source} (not public-good Sigstore)`, services];
}
