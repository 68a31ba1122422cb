// Which Fulcio, Rekor and timestamp authorities to sign with, chosen from a Sigstore signing config
// (v0.2, what public-good publishes through TUF as signing_config.v0.2.json) the way sigstore-python 4
// chooses (`SigningConfig._get_valid_services`):
//  1. keep the services whose major API version this client speaks and whose validity window holds now
//     (inclusive of both ends);
//  2. per operator, keep the one with the highest API version;
//  3. apply the service configuration's selector: ALL keeps them all, ANY the first, EXACT the first
//     `count` (and fails with fewer).
// Fulcio is the first remaining CA, Rekor the first remaining log (pypi-attestations reads only an
// attestation's first transparency entry), and every remaining TSA is asked. Rekor is v1 only: PyPI's
// verifier requires v1's signed entry timestamp, and a PEP 740 attestation cannot carry the RFC 3161
// timestamps a v2 entry relies on, so v2 entries are skipped, as sigstore-python does when asked for
// v1. A timestamp authority is used when the config lists one, and none when it lists none.
import { ServiceSelector, type Service, type ServiceConfiguration, type SigningConfig } from '@sigstore/protobuf-specs';
import { TrustError } from './errors.ts';

export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

const FULCIO_VERSIONS = [1];
const REKOR_VERSIONS = [1];
const TSA_VERSIONS = [1];

/** The services a run signs with. */
export interface SigningServices {
  fulcioURL: string;
  rekorURL: string;
  /** every selected timestamp authority (full endpoint URLs); empty when the config lists none */
  tsaURLs: string[];
}

function inWindow(service: Service, now: Date): boolean {
  const { start, end } = service.validFor ?? {};
  return (!start || start.getTime() <= now.getTime()) && (!end || now.getTime() <= end.getTime());
}

/** Steps 1–3 above for one list of services; throws when an EXACT selector cannot be met. */
export function selectServices(services: Service[], versions: number[], config: ServiceConfiguration | undefined, now: Date, what: string): Service[] {
  const byOperator = new Map<string, Service>();
  for (const service of services) {
    if (!versions.includes(service.majorApiVersion) || !inWindow(service, now)) continue;
    const held = byOperator.get(service.operator);
    if (!held || service.majorApiVersion > held.majorApiVersion) byOperator.set(service.operator, service);
  }
  const valid = [...byOperator.values()];
  if (!config || config.selector === ServiceSelector.ALL || config.selector === ServiceSelector.SERVICE_SELECTOR_UNDEFINED) return valid;
  const count = config.selector === ServiceSelector.EXACT && config.count ? config.count : 1;
  if (config.selector === ServiceSelector.EXACT && valid.length < count) {
    throw new TrustError(
      'TRUST_CONFIG',
      `the signing config asks for exactly ${count} ${what}, but only ${valid.length} are current and speak a supported API version`,
    );
  }
  return valid.slice(0, count);
}

/** The services to sign with now; `source` names the config in errors. */
export function signingServices(config: SigningConfig, source: string, now: Date = new Date()): SigningServices {
  if (config.mediaType !== SIGNING_CONFIG_MEDIA_TYPE) {
    throw new TrustError(
      'TRUST_CONFIG',
      `${source}: unsupported signing config format ${JSON.stringify(config.mediaType)} (expected ${SIGNING_CONFIG_MEDIA_TYPE})`,
    );
  }
  const [fulcio] = selectServices(config.caUrls, FULCIO_VERSIONS, undefined, now, 'Fulcio CAs');
  if (!fulcio) throw new TrustError('TRUST_CONFIG', `${source} lists no current Fulcio (v1 API) URL`);
  const [rekor] = selectServices(config.rekorTlogUrls, REKOR_VERSIONS, config.rekorTlogConfig, now, 'Rekor logs');
  if (!rekor) {
    throw new TrustError('TRUST_CONFIG', `${source} lists no current Rekor v1 URL (PyPI attestations need Rekor v1's signed entry timestamp)`);
  }
  const tsas = selectServices(config.tsaUrls, TSA_VERSIONS, config.tsaConfig, now, 'timestamp authorities');
  return { fulcioURL: fulcio.url, rekorURL: rekor.url, tsaURLs: tsas.map((s) => s.url) };
}
