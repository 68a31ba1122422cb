// The run's trust files, in protobuf-JSON: trusted_root.json (for @sigstore/verify and the action's
// PYPI_PUBLISH_TRUST_CONFIG consumer) and trust_config.json, a ClientTrustConfig that `sigstore
// --trust-config` accepts. Every field sigstore-models 0.0.6 marks required is present (CA/TSA
// subject and validFor, tlog hashAlgorithm/keyDetails/logId, service operator).
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TrustInputs {
  fulcioURL: string;
  rekorURL: string;
  tsaURL: string;
  ctlogURL: string;
  oidcURL: string;
  /** DER Fulcio CA chain, intermediate then root (as public-good lists it). */
  fulcioChain: Buffer[];
  /** DER SubjectPublicKeyInfo of the CT log. */
  ctlogKey: Buffer;
  /** Rekor's shards, oldest first: each its own key (DER SubjectPublicKeyInfo) and validity window. */
  rekorShards: Array<{ key: Buffer; start: Date; end?: Date }>;
  /** DER TSA chain, leaf first. */
  tsaChain: Buffer[];
  /** Start of every validity window (a little before the world's keys were made). */
  start: Date;
}

const OPERATOR = 'local world';
const b64 = (der: Buffer): string => der.toString('base64');

function log(baseUrl: string, spki: Buffer, start: Date, end?: Date) {
  return {
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: {
      rawBytes: b64(spki),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256',
      validFor: { start: start.toISOString(), ...(end ? { end: end.toISOString() } : {}) },
    },
    logId: { keyId: b64(createHash('sha256').update(spki).digest()) },
  };
}

export function trustedRoot(t: TrustInputs) {
  const start = t.start.toISOString();
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: t.rekorShards.map((shard) => log(t.rekorURL, shard.key, shard.start, shard.end)),
    certificateAuthorities: [
      {
        subject: { organization: 'local world', commonName: 'sigstore' },
        uri: t.fulcioURL,
        certChain: { certificates: t.fulcioChain.map((c) => ({ rawBytes: b64(c) })) },
        validFor: { start },
      },
    ],
    ctlogs: [log(t.ctlogURL, t.ctlogKey, t.start)],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: t.tsaURL,
        certChain: { certificates: t.tsaChain.map((c) => ({ rawBytes: b64(c) })) },
        validFor: { start },
      },
    ],
  };
}

/** The signing config (v0.2) public-good publishes through TUF, naming the world's services. */
export function signingConfig(t: TrustInputs) {
  const service = (url: string) => ({ url, majorApiVersion: 1, validFor: { start: t.start.toISOString() }, operator: OPERATOR });
  return {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service(t.fulcioURL)],
    oidcUrls: [service(t.oidcURL)],
    rekorTlogUrls: [service(t.rekorURL)],
    rekorTlogConfig: { selector: 'ANY' },
    // Signing configs name the TSA by its full endpoint, not its base URL.
    tsaUrls: [service(`${t.tsaURL}/api/v1/timestamp`)],
    tsaConfig: { selector: 'ANY' },
  };
}

export function clientTrustConfig(t: TrustInputs) {
  return {
    mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json',
    trustedRoot: trustedRoot(t),
    signingConfig: signingConfig(t),
  };
}

/** Writes both files into `dir`; returns their paths. */
export async function writeTrustFiles(dir: string, t: TrustInputs): Promise<{ trustedRoot: string; trustConfig: string }> {
  const paths = { trustedRoot: join(dir, 'trusted_root.json'), trustConfig: join(dir, 'trust_config.json') };
  await writeFile(paths.trustedRoot, `${JSON.stringify(trustedRoot(t), null, 2)}\n`);
  await writeFile(paths.trustConfig, `${JSON.stringify(clientTrustConfig(t), null, 2)}\n`);
  return paths;
}
