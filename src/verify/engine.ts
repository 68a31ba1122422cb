// The consumer-side engine: for every file of the requested releases or the lock file, fetch its
// provenance, verify it, and compare its publisher with what was expected. Files are checked
// concurrently (the HTTP pool bounds the requests in flight); verdicts keep the input order.
import { mapLimit } from '../engine/concurrency.ts';
import { VerificationFailure } from '../sigstore/errors.ts';
import { withoutUserinfo } from '../http/errors.ts';
import type { IndexedFile } from '../pypi/simple-index.ts';
import { identityMatches } from './identity.ts';
import type { ReleaseIndex } from './index-client.ts';
import type { ProvenanceVerifier } from './provenance.ts';
import type { FileTarget, FileVerdict, Outcome, ReleaseTarget } from './types.ts';

export interface VerifyDeps {
  index: ReleaseIndex;
  /** May still be loading (the Sigstore stack, the trust root) while the first requests are out. */
  verifier: ProvenanceVerifier | Promise<ProvenanceVerifier>;
}

export interface VerifyOptions {
  /** files checked at once (default 64); requests beyond the HTTP pool's size wait for a connection */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 64;

type Expected = FileTarget['expected'];

async function checkIndexed(deps: VerifyDeps, file: IndexedFile, sha256: string, expected: Expected): Promise<Outcome> {
  const provenance = await deps.index.provenance(file);
  if (!provenance.found) return { status: 'no-provenance', reason: provenance.reason };
  const verifier = await deps.verifier;
  let verified: ReturnType<typeof verifier.verify>;
  try {
    verified = verifier.verify(provenance.text, file.filename, sha256);
  } catch (err) {
    if (err instanceof VerificationFailure) return { status: 'invalid', reason: err.message };
    throw err;
  }
  const identity = verified.publishers[0]!;
  if (expected.length > 0) {
    // Every bundle's publisher must be one the caller accepts (pypi-attestations checks each bundle).
    const stranger = verified.publishers.find((p) => !expected.some((e) => identityMatches(e, p)));
    if (stranger) return { status: 'identity-differs', expected: expected.map((e) => e.label), found: stranger };
  }
  return { status: 'verified', identity, predicates: verified.predicates };
}

async function settle(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    return { status: 'invalid', reason: (err as Error).message };
  }
}

async function verifyLockedFile(deps: VerifyDeps, t: FileTarget): Promise<FileVerdict> {
  const verdict = (outcome: Outcome, file?: IndexedFile): FileVerdict => ({
    project: t.project,
    version: t.version,
    filename: t.filename,
    sha256: t.sha256 ?? file?.sha256,
    ...(file?.provenance ? { provenanceUrl: withoutUserinfo(file.provenance) } : {}),
    outcome,
  });
  let file: IndexedFile | undefined;
  const outcome = await settle(async () => {
    const files = await deps.index.releaseFiles(t.indexUrl, t.project, t.version);
    file = files?.find((f) => f.filename === t.filename);
    if (!file) return { status: 'invalid', reason: `the index does not list ${t.filename} for ${t.project} ${t.version}` };
    if (!file.sha256) return { status: 'invalid', reason: 'the index gives no sha256 for it' };
    // A lock's hash ties its file to what the installer takes: one the index's sha256 cannot be compared with ties nothing.
    if (!t.sha256 && t.lockHashes?.length)
      return { status: 'invalid', reason: `the lock records its ${t.lockHashes.join(', ')} only, and the index gives its sha256: the two cannot be compared` };
    if (t.sha256 && t.sha256 !== file.sha256) return { status: 'hash-differs', lockSha256: t.sha256, indexSha256: file.sha256 };
    return checkIndexed(deps, file, t.sha256 ?? file.sha256, t.expected);
  });
  return verdict(outcome, file);
}

async function verifyRelease(deps: VerifyDeps, t: ReleaseTarget): Promise<FileVerdict[]> {
  const whole = (outcome: Outcome, sha256?: string): FileVerdict => ({
    project: t.project,
    version: t.version,
    filename: `${t.project}==${t.version}`,
    ...(sha256 ? { sha256 } : {}),
    outcome,
  });
  let files: IndexedFile[] | undefined;
  try {
    files = await deps.index.releaseFiles(t.indexUrl, t.project, t.version);
  } catch (err) {
    return [whole({ status: 'invalid', reason: (err as Error).message })];
  }
  if (!files || files.length === 0) return [whole({ status: 'invalid', reason: `the index lists no files for ${t.project} ${t.version}` })];
  const wanted = t.sha256s;
  const chosen = wanted ? files.filter((f) => f.sha256 && wanted.includes(f.sha256)) : files;
  const unmatched = (wanted ?? []).filter((h) => !files!.some((f) => f.sha256 === h));
  const checked = await mapLimit(chosen, DEFAULT_CONCURRENCY, async (file) => ({
    project: t.project,
    version: t.version,
    filename: file.filename,
    sha256: file.sha256,
    ...(file.provenance ? { provenanceUrl: withoutUserinfo(file.provenance) } : {}),
    outcome: await settle(() => checkIndexed(deps, file, file.sha256 ?? '', t.expected)),
  }));
  return [...checked, ...unmatched.map((h) => whole({ status: 'hash-differs', lockSha256: h }, h))];
}

/** Verdicts in input order: a lock file's files first as listed, then each release's files. */
export async function verifyTargets(
  deps: VerifyDeps,
  targets: { files: FileTarget[]; releases: ReleaseTarget[] },
  options: VerifyOptions = {},
): Promise<FileVerdict[]> {
  const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
  const locked = await mapLimit(targets.files, limit, (t) => verifyLockedFile(deps, t));
  const releases = await mapLimit(targets.releases, limit, (t) => verifyRelease(deps, t));
  return [...locked, ...releases.flat()];
}

/** Whether the run fails: any differs or invalid; no provenance only when it is required. */
export function failed(verdicts: FileVerdict[], requireProvenance: boolean): boolean {
  return verdicts.some(
    (v) =>
      v.outcome.status === 'identity-differs' ||
      v.outcome.status === 'invalid' ||
      v.outcome.status === 'hash-differs' ||
      (requireProvenance && v.outcome.status === 'no-provenance'),
  );
}
