// One `verify` run, shared by the CLI subcommand and the action: build the targets from the request,
// verify them with the Sigstore trust root, report, and record identities into the lock file if asked.
import { readFile, rename } from 'node:fs/promises';
import { createHttpClient } from '../http/client.ts';
import type { HttpClient } from '../http/client.ts';
import { writeNewFile } from '../io/new-file.ts';
import type { VerifyRequest } from './args.ts';
import { failed, verifyTargets } from './engine.ts';
import { expectRepository, identityRecord } from './identity.ts';
import { createReleaseIndex, PYPI_SIMPLE_URL } from './index-client.ts';
import type { ProvenanceVerifier } from './provenance.ts';
import { parsePylock, writeIdentities } from './pylock.ts';
import type { ParsedLock } from './pylock.ts';
import { oneLine } from '../report/markdown.ts';
import { inertJson } from '../report/log-line.ts';
import { renderSummary, renderTable, summaryLine, verdictJSON } from './report.ts';
import { parsePin, readRequirements } from './requirements.ts';
import type { FileVerdict, PublisherIdentity, ReleaseTarget } from './types.ts';

export const VERIFY_USER_AGENT = 'pypi-publish-action-verify/0.1';
/** Connections to the index: enough that 200 files at 100 ms of latency take a few rounds, not dozens. */
const INDEX_CONNECTIONS = 64;

export interface VerifyIO {
  /** the table or the JSON document */
  out(text: string): void;
  /** progress and notes (stderr on a terminal, the log in the action) */
  note(text: string): void;
  summary?(markdown: string): Promise<void>;
}

export interface VerifyRunResult {
  verdicts: FileVerdict[];
  failed: boolean;
  /** packages whose attestation-identities were written */
  identitiesWritten: number;
}

export interface VerifyServices {
  http?: HttpClient;
  verifier?: ProvenanceVerifier;
}

// The Sigstore stack and the trust root load while the first index requests are out: compiling the
// stack and reading the trust root took ~0.2 s before any request was made.
async function loadVerifier(env: Readonly<Record<string, string | undefined>>): Promise<ProvenanceVerifier> {
  // The publish path's trust sources, from the same variables (docs/architecture.md).
  const [{ loadVerificationTrust, trustSourcesFromEnv }, { createProvenanceVerifier }] = await Promise.all([
    import('../sigstore/trust.ts'),
    import('./provenance.ts'),
  ]);
  return createProvenanceVerifier((await loadVerificationTrust(trustSourcesFromEnv(env))).trustMaterial);
}

async function releaseTargets(req: VerifyRequest, expectedRepo: ReleaseTarget['expected']): Promise<ReleaseTarget[]> {
  const indexUrl = req.indexUrl ?? PYPI_SIMPLE_URL;
  const pins = req.pins.map((p) => parsePin(p, 'argument', indexUrl, expectedRepo));
  const files = await Promise.all(req.requirementFiles.map((f) => readRequirements(f, indexUrl, expectedRepo)));
  return [...pins, ...files.flat()];
}

/** Each package not yet recording identities, with the distinct publishers its files verified with. */
function identitiesToWrite(lock: ParsedLock, verdicts: FileVerdict[]): Map<number, PublisherIdentity[]> {
  const additions = new Map<number, PublisherIdentity[]>();
  lock.files.forEach((file, i) => {
    const outcome = verdicts[i]!.outcome;
    if (lock.hasIdentities[file.packageIndex] || outcome.status !== 'verified') return;
    const list = additions.get(file.packageIndex) ?? [];
    const key = JSON.stringify(identityRecord(outcome.identity));
    if (!list.some((p) => JSON.stringify(identityRecord(p)) === key)) list.push(outcome.identity);
    additions.set(file.packageIndex, list);
  });
  return additions;
}

async function recordIdentities(file: string, text: string, lock: ParsedLock, verdicts: FileVerdict[]): Promise<number> {
  const additions = identitiesToWrite(lock, verdicts);
  if (additions.size === 0) return 0;
  const written = writeIdentities(text, additions);
  // Written beside and renamed: an interrupted run leaves the old lock file whole; the name beside it
  // is created anew, so a link planted there is not written through.
  await writeNewFile(`${file}.tmp`, Buffer.from(written));
  await rename(`${file}.tmp`, file);
  return additions.size;
}

function print(req: VerifyRequest, io: VerifyIO, verdicts: FileVerdict[], lock: ParsedLock | undefined, isFailed: boolean): void {
  if (req.json) {
    io.out(inertJson(JSON.stringify({ failed: isFailed, summary: summaryLine(verdicts), files: verdicts.map(verdictJSON) }, null, 2)));
    return;
  }
  if (verdicts.length > 0) io.out(renderTable(verdicts));
  // Names come from the lock file: one line, whatever they hold (a newline could start a workflow command).
  if (lock && lock.notFromIndex.length > 0) io.note(oneLine(`not from an index, not verified: ${lock.notFromIndex.join(', ')}`));
  io.out(summaryLine(verdicts));
}

export async function runVerify(
  req: VerifyRequest,
  env: Readonly<Record<string, string | undefined>>,
  io: VerifyIO,
  services: VerifyServices = {},
): Promise<VerifyRunResult> {
  const expectedRepo = req.repository ? [expectRepository(req.repository, req.workflow)] : [];
  const lockText = req.lockFile ? await readFile(req.lockFile, 'utf8') : undefined;
  const lock = lockText === undefined ? undefined : parsePylock(lockText, req.indexUrl);
  if (lock) for (const f of lock.files) if (f.expected.length === 0) f.expected = expectedRepo;
  const releases = await releaseTargets(req, expectedRepo);

  const http = services.http ?? createHttpClient({ userAgent: VERIFY_USER_AGENT, connections: INDEX_CONNECTIONS });
  try {
    const verifier = services.verifier ? Promise.resolve(services.verifier) : loadVerifier(env);
    verifier.catch(() => {}); // awaited below; the requests go out meanwhile
    const verdicts = await verifyTargets(
      { index: createReleaseIndex(http), verifier },
      { files: lock?.files ?? [], releases },
      req.concurrency ? { concurrency: req.concurrency } : {},
    );
    // A trust root that cannot be loaded is the run's failure, not each file's.
    await verifier;
    const isFailed = failed(verdicts, req.require);
    print(req, io, verdicts, lock, isFailed);
    await io.summary?.(renderSummary(verdicts));
    let identitiesWritten = 0;
    if (req.writeIdentities && lock && req.lockFile && lockText !== undefined) {
      identitiesWritten = await recordIdentities(req.lockFile, lockText, lock, verdicts);
      io.note(`recorded the publisher of ${identitiesWritten} package${identitiesWritten === 1 ? '' : 's'} in ${req.lockFile}'s attestation-identities`);
    }
    return { verdicts, failed: isFailed, identitiesWritten };
  } finally {
    if (!services.http) await http.close();
  }
}
