// Find and check: know every dist before anything is signed or sent. Finds the files, reads each once
// (digests, archive, metadata) and applies PyPI's acceptance rules. Nothing leaves the runner here.
import { findDistFiles } from '../dists/find.ts';
import { inspectDist, type InspectOptions, type InspectResult } from '../dists/inspect.ts';
import { byPyPIOrder, preflight, unknownClassifiers } from '../dists/preflight.ts';
import { capPerFile } from '../dists/problem.ts';
import type { Dist, Problem } from '../dists/types.ts';
import { digestFile } from '../dists/digest.ts';
import { limiter, mapLimit } from './concurrency.ts';
import { INSPECT_CONCURRENCY, LARGE_DIGEST_CONCURRENCY } from '../tunables.ts';

/** The dists with every SHA-256 known, and the reads that failed (each an error for its file). */
export interface Digested {
  dists: Dist[];
  problems: Problem[];
}

export interface Prepared {
  /** Every dist that could be read, in twine's order. A large dist's `digests.sha256` may be ''. */
  dists: Dist[];
  problems: Problem[];
  /** Every path that was taken for a dist, including those that could not be read. */
  paths: string[];
  /** Classifiers this action's copy does not know that the index lists as accepted (the checks took them). */
  listedByIndex: string[];
  /**
   * The same dists with every SHA-256 known: a large dist's is still being read when every check is
   * done, so the run goes on to Trusted Publishing meanwhile. Never rejects.
   */
  digested: Promise<Digested>;
}

export interface PrepareOptions extends Pick<InspectOptions, 'digestLarge'> {
  /**
   * The classifiers the index accepts today (src/pypi/classifiers.ts), asked only when a dist names
   * one this action's copy of trove-classifiers does not know; undefined when it could not say.
   */
  indexClassifiers?: () => Promise<ReadonlySet<string> | undefined>;
  /**
   * The host of an index other than PyPI: PyPI's own rules are then warnings, for that index decides
   * what it takes (see leftToOtherIndex). Unset for PyPI, TestPyPI and an index on this machine.
   */
  otherIndex?: string;
}

/** `options.digestLarge`: how a large dist is hashed (tests give a read that fails). */
export async function prepareDists(patterns: string[], cwd: string, verifyMetadata: boolean, options: PrepareOptions = {}): Promise<Prepared> {
  const { indexClassifiers, digestLarge = (path, size) => digestFile(path, undefined, size) } = options;
  const found = await findDistFiles(patterns, cwd);
  // A large wheel's digest is read on while the run goes on to Trusted Publishing, which needs no
  // digest: on a 1 GiB wheel that read is about as long as the exchange and the certificate.
  const digestSlot = limiter(LARGE_DIGEST_CONCURRENCY);
  const inspect: InspectOptions = { deferLargeDigest: true, digestLarge: (path, size) => digestSlot(() => digestLarge(path, size)) };
  const inspected = await mapLimit(found.files, INSPECT_CONCURRENCY, (file) => inspectDist(file, inspect));
  const digested = withDigests(inspected);
  const read = inspected.flatMap((r) => (r.dist ? [r.dist] : []));
  // Two files of one name are an error only when their bytes differ, two of one content whatever
  // their names: both checks need every digest, and only files of one size can share their bytes.
  const repeated = (values: unknown[]) => new Set(values).size < values.length;
  const readFirst = repeated(read.map((d) => d.filename)) || repeated(read.map((d) => d.size)) ? await digested : undefined;
  const dists = readFirst?.dists ?? read;
  const unknown = indexClassifiers ? unknownClassifiers(dists) : [];
  const listedClassifiers = unknown.length > 0 ? await indexClassifiers?.() : undefined;
  const checked = preflight(dists, { verifyMetadata, ...(listedClassifiers ? { listedClassifiers } : {}) });
  // In PyPI's order (a stable sort): a file's first error is what PyPI would answer, and is never cut.
  const all = [...found.problems, ...inspected.flatMap((r) => r.problems), ...(readFirst?.problems ?? []), ...checked].sort(byPyPIOrder);
  const problems = capPerFile(options.otherIndex ? leftToOtherIndex(all, dists, options.otherIndex) : all);
  return {
    dists: inTwineOrder(dists),
    problems,
    paths: found.files,
    listedByIndex: listedClassifiers ? unknown.filter((c) => listedClassifiers.has(c)) : [],
    // What was read first is among `problems` already.
    digested: readFirst
      ? Promise.resolve({ dists: inTwineOrder(dists), problems: [] })
      : digested.then((d) => ({ dists: inTwineOrder(d.dists), problems: d.problems })),
  };
}

/**
 * What no index can take, whoever's it is: a file this action could not read or find as a dist, one
 * past this action's own bounds on an archive, or metadata without a valid Metadata-Version, Name or
 * Version (twine refuses it too, and the upload form needs them). The rest of PyPI's rules are PyPI's own.
 */
const REFUSED_BY_ANY_INDEX = new Set([
  'metadata-version-missing',
  'metadata-version-unsupported',
  'metadata-name-missing',
  'metadata-name-invalid',
  'metadata-version-field-missing',
  'metadata-version-invalid',
]);

/** A rule on the files found that is PyPI's own: one content under two names (its "File already exists"). */
const PYPI_FILE_RULES = new Set(['dist-duplicate-content']);

/**
 * An index other than PyPI decides what it takes, as it did under the incumbent, which left every
 * rule to the index but twine's own reading of the metadata: what PyPI alone would refuse in a dist
 * that was read is a warning that says so.
 */
function leftToOtherIndex(problems: Problem[], read: Dist[], host: string): Problem[] {
  const byName = new Map(read.map((d) => [d.filename, d]));
  return problems.map((p) => {
    const dist = byName.get(p.file);
    if (p.severity !== 'error' || !dist || refusedByAnyIndex(p, dist)) return p;
    return { ...p, severity: 'warning', message: `PyPI would refuse this file: ${p.message} ${host} is not PyPI, so the file is sent and that index decides.` };
  });
}

/** Whether `p` stops an upload to any index: see REFUSED_BY_ANY_INDEX, and this action's own bounds on an archive. */
function refusedByAnyIndex(p: Problem, dist: Dist): boolean {
  if (p.code.endsWith('-limit')) return true;
  if (p.code.startsWith('dist-')) return !PYPI_FILE_RULES.has(p.code);
  // "UNKNOWN" counts as no name only at PyPI (warehouse's sanitize); packaging and twine take it.
  if (p.code === 'metadata-name-missing' && dist.metadata.get('Name')?.trim() === 'UNKNOWN') return false;
  return REFUSED_BY_ANY_INDEX.has(p.code);
}

/** Each read dist with its digests, once the deferred reads ended; in the order inspected. */
async function withDigests(inspected: InspectResult[]): Promise<Digested> {
  const dists: Dist[] = [];
  const problems: Problem[] = [];
  for (const r of inspected) {
    if (!r.dist) continue;
    const read = await r.digesting;
    if (read && 'problem' in read) problems.push(read.problem);
    dists.push(read && 'digests' in read ? { ...r.dist, digests: { ...r.dist.digests, ...read.digests } } : r.dist);
  }
  return { dists, problems };
}

/**
 * Twine's order: wheels before sdists, then by name, so logs and reports are stable. Names compare by
 * code point, as the incumbent's `dist/*` glob sorts them in its C-locale container; localeCompare
 * would also load ICU's collation data (~2 MB of resident memory) for nothing.
 */
function inTwineOrder(dists: Dist[]): Dist[] {
  const byName = (a: Dist, b: Dist) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0);
  return [...dists].sort((a, b) => (a.kind === b.kind ? byName(a, b) : a.kind === 'wheel' ? -1 : 1));
}

export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}: ` : '';
  return `${where}${p.message}${p.fix ? ` Fix: ${p.fix}` : ''}`;
}
