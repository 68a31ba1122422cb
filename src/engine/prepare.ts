// Stage 1: know every dist before anything is signed or sent. Finds the files, reads each once
// (digests, archive, metadata) and applies PyPI's acceptance rules. Nothing leaves the runner here.
import { findDistFiles } from '../dists/find.ts';
import { inspectDist, type InspectOptions } from '../dists/inspect.ts';
import { preflight } from '../dists/preflight.ts';
import { capPerFile } from '../dists/problem.ts';
import type { Dist, Problem } from '../dists/types.ts';
import { mapLimit } from './concurrency.ts';

export interface Prepared {
  dists: Dist[];
  problems: Problem[];
  /** Every path that was taken for a dist, including those that could not be read. */
  paths: string[];
  /**
   * The SHA-256 of the large dists, still being read when every check is done: until it resolves
   * their `digests.sha256` is empty. It resolves with the reads that failed; it never rejects.
   */
  digested: Promise<Problem[]>;
}

/** Reading is I/O bound with some hashing: a little parallelism hides the latency of small files. */
const INSPECT_CONCURRENCY = 4;

/** `inspect`: how a large dist is hashed (tests give a read that fails). */
export async function prepareDists(patterns: string[], cwd: string, verifyMetadata: boolean, inspect: Pick<InspectOptions, 'digestLarge'> = {}): Promise<Prepared> {
  const found = await findDistFiles(patterns, cwd);
  // A large wheel's digest is read on while the run goes on to Trusted Publishing, which needs no
  // digest: on a 1 GiB wheel that read is ~1 s, about as long as the exchange and the certificate.
  const inspected = await mapLimit(found.files, INSPECT_CONCURRENCY, (file) => inspectDist(file, { ...inspect, deferLargeDigest: true }));
  const digested = Promise.all(inspected.map((r) => r.digesting)).then((all) => all.filter((p) => p !== undefined));
  const dists = inspected.flatMap((r) => (r.dist ? [r.dist] : []));
  // Two files of one name are an error only when their bytes differ: that check needs every digest.
  const duplicates = new Set(dists.map((d) => d.filename)).size < dists.length;
  const readFirst = duplicates ? await digested : [];
  const problems = capPerFile([...found.problems, ...inspected.flatMap((r) => r.problems), ...readFirst, ...preflight(dists, { verifyMetadata })]);
  // Twine's order: wheels before sdists, then by name, so logs and reports are stable.
  dists.sort((a, b) => (a.kind === b.kind ? a.filename.localeCompare(b.filename) : a.kind === 'wheel' ? -1 : 1));
  // What was read first is among `problems` already.
  return { dists, problems, paths: found.files, digested: duplicates ? Promise.resolve([]) : digested };
}

export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}: ` : '';
  return `${where}${p.message}${p.fix ? ` Fix: ${p.fix}` : ''}`;
}
