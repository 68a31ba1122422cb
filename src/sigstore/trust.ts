// Where signing goes and what verification trusts: a trusted root and a signing config (which Fulcio,
// Rekor and timestamp authorities to use, chosen in signing-config.ts). Two sources:
//  (a) production: Sigstore's TUF repository (public-good, whose initial root @sigstore/tuf ships) serves
//      both, as trusted_root.json and signing_config.v0.2.json: the instance PyPI verifies against, and
//      its endpoints as public-good publishes them, so an endpoint change needs no new release. A test
//      seam points only the mirror URL and the initial root elsewhere (PYPI_PUBLISH_SIGSTORE_TUF_URL and
//      PYPI_PUBLISH_SIGSTORE_TUF_ROOT: the local world's TUF repository);
//  (b) a ClientTrustConfig JSON file (PYPI_PUBLISH_TRUST_CONFIG): trusted root plus signing config.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientTrustConfig, SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import type { TransparencyLogInstance } from '@sigstore/protobuf-specs';
import { toTrustMaterial } from '@sigstore/verify';
import type { TrustMaterial } from '@sigstore/verify';
import { isHttpsOrLoopback } from '../config/loopback.ts';
import { redactUrl } from '../http/client.ts';
import { TrustError } from './errors.ts';
import { signingServices, type SigningServices } from './signing-config.ts';
import { tufCacheRoot } from './tuf-cache.ts';
import { readTufTargets } from './tuf-repository.ts';

// Public-good Rekor, for the summary's link to its search page only: where to sign comes from the
// signing config.
export const PUBLIC_GOOD_REKOR_URL = 'https://rekor.sigstore.dev';
const PUBLIC_GOOD_SOURCE = "public-good Sigstore's TUF repository";
const TRUSTED_ROOT_TARGET = 'trusted_root.json';
const SIGNING_CONFIG_TARGET = 'signing_config.v0.2.json';

/** What verification trusts: all a verifier needs, with no signing services. */
export interface VerificationTrust {
  trustMaterial: TrustMaterial;
  /** the trusted root as loaded, which trustMaterial was made from */
  trustedRoot: TrustedRoot;
  /** where the trust came from, for the log */
  source: string;
}

export interface SigstoreTrust extends VerificationTrust {
  fulcioURL: string;
  rekorURL: string;
  /** the timestamp authorities the signing config selects, possibly none; PEP 740 attestations carry no
   * TSA timestamps, so only the .sigstore.json bundle gains */
  tsaURLs: string[];
}

async function readConfigFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `cannot read the Sigstore trust config ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function clientConfig(raw: unknown, source: string): ClientTrustConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TrustError('TRUST_CONFIG', `${source} must be a JSON object (a Sigstore ClientTrustConfig) with trustedRoot and signingConfig`);
  }
  const cfg = ClientTrustConfig.fromJSON(raw);
  if (!cfg.trustedRoot || !cfg.signingConfig) {
    throw new TrustError('TRUST_CONFIG', `${source} must contain both trustedRoot and signingConfig`);
  }
  return cfg;
}

/** Trust from a ClientTrustConfig JSON file (protobuf-JSON, `…clienttrustconfig.v0.1+json`). */
export async function trustFromConfigFile(file: string, now: Date = new Date()): Promise<SigstoreTrust> {
  return trustFromClientConfig(await readConfigFile(file), file, now);
}

export function trustFromClientConfig(raw: unknown, source = 'the trust config', now: Date = new Date()): SigstoreTrust {
  const cfg = clientConfig(raw, source);
  return trustFrom(cfg.trustedRoot!, cfg.signingConfig!, source, now);
}

function verificationTrust(trustedRoot: TrustedRoot, source: string): VerificationTrust {
  requireVerificationKeys(source, trustedRoot);
  try {
    return { trustMaterial: toTrustMaterial(trustedRoot), trustedRoot, source };
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `${source}: the trusted root is invalid: ${(err as Error).message}`, { cause: err });
  }
}

/** Trust from a trusted root and a signing config, both checked; `source` names them in errors. */
export function trustFrom(trustedRoot: TrustedRoot, signingConfig: SigningConfig, source: string, now: Date = new Date()): SigstoreTrust {
  const verification = verificationTrust(trustedRoot, source);
  const services: SigningServices = signingServices(signingConfig, source, now);
  requireSafeTransport(source, 'Fulcio', services.fulcioURL);
  requireSafeTransport(source, 'Rekor', services.rekorURL);
  for (const url of services.tsaURLs) requireSafeTransport(source, 'timestamp authority', url);
  return { ...verification, ...services };
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
  if (isHttpsOrLoopback(url)) return;
  throw new TrustError(
    'TRUST_CONFIG',
    `${source}: the ${role} URL ${redactUrl(url)} must be https:// (plain http is allowed only to this machine), or the OIDC token and signatures would cross the network unencrypted`,
  );
}

/** Where the TUF repository is: public-good's by default, or the test seam's mirror and initial root. */
export interface TufSource {
  /** mirror URL; undefined for public-good's (with the initial root @sigstore/tuf embeds) */
  mirrorURL?: string | undefined;
  /** initial root.json for `mirrorURL` */
  rootPath?: string | undefined;
}

const TARGET_NAMES: Record<string, string> = { [TRUSTED_ROOT_TARGET]: 'trusted root', [SIGNING_CONFIG_TARGET]: 'signing config' };

/**
 * The named targets of a Sigstore TUF repository, verified by TUF and cached under `cacheDir`
 * (tufCacheRoot) so a run fetches them once; `name` says which repository, for errors.
 */
async function tufTargets(source: TufSource, cacheDir: string, targets: string[]): Promise<{ name: string; texts: string[] }> {
  const name = source.mirrorURL ? `the Sigstore TUF repository at ${redactUrl(source.mirrorURL)}` : PUBLIC_GOOD_SOURCE;
  if (source.mirrorURL) requireSafeTransport(name, 'TUF mirror', source.mirrorURL);
  try {
    const cachePath = path.join(cacheDir, 'sigstore-tuf');
    const texts = await readTufTargets(source.mirrorURL ? { cachePath, mirrorURL: source.mirrorURL, rootPath: source.rootPath } : { cachePath }, targets);
    return { name, texts };
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message;
    const what = targets.map((t) => TARGET_NAMES[t] ?? t).join(' and ');
    throw new TrustError('TRUST_CONFIG', `cannot fetch Sigstore's ${what} from ${name}: ${(err as Error).message}${cause ? `: ${cause}` : ''}`, { cause: err });
  }
}

function parseTarget<T>(repository: string, target: string, text: string, fromJSON: (json: unknown) => T): T {
  try {
    return fromJSON(JSON.parse(text));
  } catch (err) {
    throw new TrustError('TRUST_CONFIG', `${repository} serves a ${target} that is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Trust from a Sigstore TUF repository: its trusted_root.json and signing_config.v0.2.json. */
export async function trustFromTuf(source: TufSource, cacheDir: string, now: Date = new Date()): Promise<SigstoreTrust> {
  const { name, texts } = await tufTargets(source, cacheDir, [TRUSTED_ROOT_TARGET, SIGNING_CONFIG_TARGET]);
  const trustedRoot = parseTarget(name, TRUSTED_ROOT_TARGET, texts[0]!, TrustedRoot.fromJSON);
  return trustFrom(trustedRoot, parseTarget(name, SIGNING_CONFIG_TARGET, texts[1]!, SigningConfig.fromJSON), name, now);
}

/** The environment variables that choose the trust source. */
export interface TrustEnv {
  /** PYPI_PUBLISH_TRUST_CONFIG: a ClientTrustConfig file (rehearsal instances) */
  trustConfigPath?: string | undefined;
  /** PYPI_PUBLISH_SIGSTORE_TUF_URL and _ROOT: another TUF repository and its initial root (tests) */
  tufURL?: string | undefined;
  tufRoot?: string | undefined;
}

function tufSource(opts: TrustEnv): TufSource {
  if (Boolean(opts.tufURL) !== Boolean(opts.tufRoot)) {
    throw new TrustError(
      'TRUST_CONFIG',
      'PYPI_PUBLISH_SIGSTORE_TUF_URL and PYPI_PUBLISH_SIGSTORE_TUF_ROOT go together: a TUF mirror is trusted only from an initial root.json of its own',
    );
  }
  return { mirrorURL: opts.tufURL, rootPath: opts.tufRoot };
}

/** PYPI_PUBLISH_TRUST_CONFIG when set, else the TUF repository (public-good, or the test seam's). */
export async function loadTrust(opts: TrustEnv & { cacheDir: string }): Promise<SigstoreTrust> {
  if (opts.trustConfigPath) return trustFromConfigFile(opts.trustConfigPath);
  return trustFromTuf(tufSource(opts), opts.cacheDir);
}

/**
 * Only what verification trusts, from the same sources: the trusted root, not the signing config, so
 * that a verifier does not depend on which services a signer would be given.
 */
export async function loadVerificationTrust(opts: TrustEnv & { cacheDir: string }): Promise<VerificationTrust> {
  if (opts.trustConfigPath) {
    const cfg = clientConfig(await readConfigFile(opts.trustConfigPath), opts.trustConfigPath);
    return verificationTrust(cfg.trustedRoot!, opts.trustConfigPath);
  }
  const { name, texts } = await tufTargets(tufSource(opts), opts.cacheDir, [TRUSTED_ROOT_TARGET]);
  return verificationTrust(parseTarget(name, TRUSTED_ROOT_TARGET, texts[0]!, TrustedRoot.fromJSON), name);
}

/** The trust sources a run's environment names (above), and where their TUF cache is (tuf-cache.ts). */
export function trustSourcesFromEnv(env: Readonly<Record<string, string | undefined>>): TrustEnv & { cacheDir: string } {
  return {
    trustConfigPath: env['PYPI_PUBLISH_TRUST_CONFIG'] || undefined,
    tufURL: env['PYPI_PUBLISH_SIGSTORE_TUF_URL'] || undefined,
    tufRoot: env['PYPI_PUBLISH_SIGSTORE_TUF_ROOT'] || undefined,
    cacheDir: tufCacheRoot(env),
  };
}

/** The trust a run uses, from the environment variables above. */
export function loadTrustFromEnv(env: Readonly<Record<string, string | undefined>>): Promise<SigstoreTrust> {
  return loadTrust(trustSourcesFromEnv(env));
}

/** What the log says of the trust: where it came from unless public-good, then the services chosen. */
export function describeTrust(trust: SigstoreTrust): string[] {
  const services =
    `Sigstore signing config: Fulcio ${trust.fulcioURL}, Rekor ${trust.rekorURL}, ` +
    `timestamp authority ${trust.tsaURLs.length ? trust.tsaURLs.join(', ') : 'none'}`;
  return trust.source === PUBLIC_GOOD_SOURCE ? [services] : [`Using ${trust.source} (not public-good Sigstore)`, services];
}
