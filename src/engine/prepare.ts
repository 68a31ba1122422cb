// Stage 1: know every dist before anything is signed or sent. Finds the files, reads each once
// (digests, archive, metadata) and applies PyPI's acceptance rules. Nothing leaves the runner here.
import { findDistFiles } from '../dists/find.ts';
import { inspectDist } from '../dists/inspect.ts';
import { preflight } from '../dists/preflight.ts';
import type { Dist, Problem } from '../dists/types.ts';
import { mapLimit } from './concurrency.ts';

export interface Prepared {
  dists: Dist[];
  problems: Problem[];
  /** Every path that was taken for a dist, including those that could not be read. */
  paths: string[];
}

/** Reading is I/O bound with some hashing: a little parallelism hides the latency of small files. */
const INSPECT_CONCURRENCY = 4;

export async function prepareDists(patterns: string[], cwd: string, verifyMetadata: boolean): Promise<Prepared> {
  const found = await findDistFiles(patterns, cwd);
  const inspected = await mapLimit(found.files, INSPECT_CONCURRENCY, (file) => inspectDist(file));
  const dists = inspected.flatMap((r) => (r.dist ? [r.dist] : []));
  const problems = [...found.problems, ...inspected.flatMap((r) => r.problems), ...preflight(dists, { verifyMetadata })];
  // Twine's order: wheels before sdists, then by name, so logs and reports are stable.
  dists.sort((a, b) => (a.kind === b.kind ? a.filename.localeCompare(b.filename) : a.kind === 'wheel' ? -1 : 1));
  return { dists, problems, paths: found.files };
}

export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}: ` : '';
  return `${where}${p.message}${p.fix ? ` Fix: ${p.fix}` : ''}`;
}
