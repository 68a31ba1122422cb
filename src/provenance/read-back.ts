// Read back: after a file is uploaded, the index's Integrity API (PEP 740,
// /integrity/<project>/<version>/<file>/provenance) is asked for its provenance; every attestation in
// it is held to the publisher and compared with what this run sent, and one that is not the one sent
// is verified against the file. The file is public by then, so a difference is a warning that names
// it, not a failure. An index without the Integrity API (any answer but warehouse's) is skipped quietly.
import { isDeepStrictEqual } from 'node:util';
import type { HttpClient } from '../http/client.ts';
import { isJsonObject } from '../http/json-object.ts';
import { limiter } from '../engine/concurrency.ts';
import type { DistVerifier, PublisherIdentity } from '../sigstore/types.ts';
import { PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE } from '../sigstore/statement.ts';
import { READ_BACK_CONCURRENCY } from '../tunables.ts';

/** The two kinds PyPI keeps, one of each per file, by their predicate types. */
export const ATTESTATION_KINDS = { publish: PUBLISH_PREDICATE_TYPE, build: SLSA_PREDICATE_TYPE } as const;
export type AttestationKind = keyof typeof ATTESTATION_KINDS;

export interface UploadedFile {
  filename: string;
  sha256: string;
  /** where the index serves its provenance */
  provenanceUrl: string;
  /** the PEP 740 objects this run sent with it, by kind */
  sent: Partial<Record<AttestationKind, unknown>>;
}

export interface ServedProvenance {
  filename: string;
  /** false: the index has no Integrity API (or did not answer it); nothing was compared */
  checked: boolean;
  /** per kind sent: true when the index serves it, it verifies and it is the one sent */
  kinds: Partial<Record<AttestationKind, boolean>>;
  /** what differs, one sentence each */
  differences: string[];
}

export interface ProvenanceReaderOptions {
  http: HttpClient;
  /** PyPI's policy: asked for only when the index serves an attestation that is not the one sent */
  verifier: () => Promise<DistVerifier>;
  identity: PublisherIdentity;
}

/** The publisher as pypi-attestations dumps it: GitHub's names its `workflow`, GitLab's its `workflow_filepath`. */
type ServedPublisher = { kind?: unknown; repository?: unknown; workflow?: unknown; workflow_filepath?: unknown };
type Served = { publisher?: ServedPublisher; attestations?: unknown[] };

function predicateTypeOf(att: unknown): string | undefined {
  const statement = (att as { envelope?: { statement?: unknown } })?.envelope?.statement;
  if (typeof statement !== 'string') return undefined;
  try {
    const type: unknown = JSON.parse(Buffer.from(statement, 'base64').toString('utf8'))?.predicateType;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

function signatureOf(att: unknown): unknown {
  return (att as { envelope?: { signature?: unknown } })?.envelope?.signature;
}

/** Fetches the provenance: its bundles, `'none'` (warehouse's 404 for a file without any), or undefined (no Integrity API). */
async function fetchProvenance(http: HttpClient, url: string, filename: string): Promise<Served[] | 'none' | undefined> {
  const res = await http
    .send({ method: 'GET', url, headers: { accept: 'application/vnd.pypi.integrity.v1+json' }, maxBodyBytes: 4 << 20 })
    .catch(() => undefined);
  if (!res || res.truncated) return undefined;
  let body: { message?: unknown; attestation_bundles?: unknown };
  try {
    body = JSON.parse(res.text());
  } catch {
    return undefined;
  }
  if (res.status === 404 && body?.message === `No provenance available for ${filename}`) return 'none';
  if (res.status !== 200 || !Array.isArray(body?.attestation_bundles)) return undefined;
  return body.attestation_bundles.map(servedBundle);
}

/** One bundle as PEP 740 shapes it; what has another shape counts as absent, so no answer can throw here. */
function servedBundle(bundle: unknown): Served {
  if (!isJsonObject(bundle)) return {};
  const publisher = isJsonObject(bundle['publisher']) ? (bundle['publisher'] as Served['publisher']) : undefined;
  return { publisher, attestations: Array.isArray(bundle['attestations']) ? bundle['attestations'] : [] };
}

async function compareKind(input: ProvenanceReaderOptions, file: UploadedFile, kind: AttestationKind, served: Served[]): Promise<string | undefined> {
  const type = ATTESTATION_KINDS[kind];
  const bundle = served.find((b) => (b.attestations ?? []).some((a) => predicateTypeOf(a) === type));
  const att = bundle?.attestations?.find((a) => predicateTypeOf(a) === type);
  if (!bundle || !att) return `the index serves no ${kind} attestation (${type})`;
  const pub = bundle.publisher;
  if (!isThePublisher(pub, input.identity)) {
    const shown = (value: unknown) => (typeof value === 'string' ? value : '?');
    const workflow = shown(pub?.workflow ?? pub?.workflow_filepath);
    return `the ${kind} attestation is served under the publisher ${shown(pub?.kind)} ${shown(pub?.repository)} (${workflow}), not ${input.identity.repository} (${input.identity.workflow})`;
  }
  // Warehouse serves the attestation as pypi-attestations' model dumps it and its database keeps it:
  // keys in any order, the base64 this run sent unchanged. One equal to the one sent was verified
  // before the upload against this file's digest and this publisher: verifying it again could only agree.
  if (isDeepStrictEqual(att, asSent(file.sent[kind]))) return undefined;
  const verifier = await input.verifier();
  try {
    await verifier.verify(
      { filename: file.filename, sha256: file.sha256, bundle: undefined, attestation: att, predicateType: type },
      file.sha256,
      input.identity,
    );
  } catch (e) {
    return `the ${kind} attestation served does not verify: ${(e as Error).message}`;
  }
  if (signatureOf(att) !== signatureOf(file.sent[kind])) return `the ${kind} attestation served verifies, but is not the one this run uploaded`;
  return undefined;
}

/**
 * Whether the index serves the attestation under this run's Trusted Publisher (warehouse's
 * `attestation_identity`). Repository names are compared without case, as both platforms and PyPI's
 * publisher look-up treat them; the pipeline file's name is compared exactly.
 */
function isThePublisher(pub: ServedPublisher | undefined, identity: PublisherIdentity): boolean {
  const gitlab = identity.kind === 'gitlab';
  const workflow = gitlab ? pub?.workflow_filepath : pub?.workflow;
  return (
    pub?.kind === (gitlab ? 'GitLab' : 'GitHub') &&
    typeof pub.repository === 'string' &&
    pub.repository.toLowerCase() === identity.repository.toLowerCase() &&
    workflow === identity.workflow
  );
}

/** The attestation as the upload form carried it: its JSON, read back. */
const asSent = (att: unknown): unknown => JSON.parse(JSON.stringify(att) ?? 'null');

/**
 * The file is public by now, and other uploads may still be under way: nothing the index serves may
 * end the run. What could not be read is one more difference.
 */
async function readBackOne(input: ProvenanceReaderOptions, file: UploadedFile, fetching: FetchSlot): Promise<ServedProvenance> {
  try {
    return await compareServed(input, file, fetching);
  } catch (e) {
    const kinds = Object.fromEntries(Object.keys(file.sent).map((k) => [k, false]));
    const why = e instanceof Error ? e.message : 'an unexpected answer';
    return { filename: file.filename, checked: true, kinds, differences: [`what the index serves could not be read (${why})`] };
  }
}

async function compareServed(input: ProvenanceReaderOptions, file: UploadedFile, fetching: FetchSlot): Promise<ServedProvenance> {
  const kinds = Object.keys(file.sent) as AttestationKind[];
  const served = await fetching(() => fetchProvenance(input.http, file.provenanceUrl, file.filename));
  if (served === undefined) return { filename: file.filename, checked: false, kinds: {}, differences: [] };
  const result: ServedProvenance = { filename: file.filename, checked: true, kinds: {}, differences: [] };
  if (served === 'none') {
    for (const k of kinds) result.kinds[k] = false;
    result.differences.push('the index serves no provenance for it');
    return result;
  }
  for (const k of kinds) {
    const difference = await compareKind(input, file, k, served);
    result.kinds[k] = difference === undefined;
    if (difference) result.differences.push(difference);
  }
  const sentTypes = new Set<string>(kinds.map((k) => ATTESTATION_KINDS[k]));
  const extra = served
    .flatMap((b) => b.attestations ?? [])
    .map(predicateTypeOf)
    .filter((t) => !sentTypes.has(t as string));
  if (extra.length > 0)
    result.differences.push(`the index serves ${extra.length} attestation(s) this run did not upload (${extra.map((t) => t ?? 'unreadable').join(', ')})`);
  return result;
}

type FetchSlot = ReturnType<typeof limiter>;

/** Reads back one uploaded file's provenance per call, with at most READ_BACK_CONCURRENCY GETs at once over all calls. */
export function provenanceReader(options: ProvenanceReaderOptions): (file: UploadedFile) => Promise<ServedProvenance> {
  const fetching = limiter(READ_BACK_CONCURRENCY);
  return (file) => readBackOne(options, file, fetching);
}

/** "provenance served by the index: publish ✓ build ✓" */
export function servedLine(p: ServedProvenance): string {
  const marks = (Object.keys(ATTESTATION_KINDS) as AttestationKind[]).filter((k) => p.kinds[k] !== undefined).map((k) => `${k} ${p.kinds[k] ? '✓' : '✗'}`);
  return `provenance served by the index: ${marks.join(' ')}`;
}
