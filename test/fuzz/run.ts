// The archive fuzzer, run as its own process by __tests__/fuzz/archives.test.ts (so a native abort
// is seen as the child's death, not the test runner's). Mutants of real wheels and sdists go through
// the dist checks in-process: inspectDist (both read paths for a ZIP: read whole into memory, and
// random access as for a dist over 8 MiB, through the `wholeReadMax` seam) then preflight. Every
// mutant must end in a verdict (accepted or refused), within 5 s, with the process under 300 MB.
//
//   node test/fuzz/run.ts [--seed N] [--count N] [--keep DIR]
// prints one JSON line: the counts and failures; --keep writes each failing mutant to DIR to replay.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import { parseArgs } from 'node:util';
import { inspectDist } from '../../src/dists/inspect.ts';
import { preflight } from '../../src/dists/preflight.ts';
import { capPerFile } from '../../src/dists/problem.ts';
import type { Problem } from '../../src/dists/types.ts';
import { Rng } from './rng.ts';
import { corpusSeeds, fixtureSeeds, type Mutant, plainMutant, type Seed } from './seeds.ts';
import { manyMembersZip, zipBomb } from './zip-mutants.ts';
import { compressRepeated, manyMembersTar, tarBomb } from './tar-mutants.ts';

/** The costly inputs, made once before the clock starts, with little memory. */
interface Prepared {
  /** 64 MiB of zeros, deflated. */
  deflatedZeros: Buffer;
  tarBomb: Buffer;
  manyMembersTar: Buffer;
  manyMembersZip: Buffer[];
}

async function prepare(): Promise<Prepared> {
  return {
    deflatedZeros: await compressRepeated(() => createDeflateRaw({ level: 9 }), Buffer.alloc(64 * 1024), 64 * 1024 * 1024),
    tarBomb: await tarBomb(),
    manyMembersTar: await manyMembersTar(),
    manyMembersZip: [1000, 20_000, 65_532].map(manyMembersZip),
  };
}

const PER_MUTANT_MS = 5_000;
const gc = (globalThis as { gc?: () => void }).gc;
const MAX_RSS = 300 * 1024 * 1024;

// Kinds that cost up to a second each (a zip bomb's 64 MiB before the bound, a tar bomb's 256 MiB read
// whole): a few per run.
const COSTLY: Record<string, number> = { 'zip-bomb': 40, 'tar-bomb': 3, 'many-members-zip': 4, 'many-members-tar': 2 };

function makeMutant(i: number, wheels: Seed[], sdists: Seed[], rng: Rng, costlyLeft: Record<string, number>, made: Prepared): Mutant {
  const costly = Object.keys(costlyLeft).find((k) => (costlyLeft[k] as number) > 0 && i % 97 === Object.keys(COSTLY).indexOf(k) * 7);
  if (costly) {
    costlyLeft[costly] = (costlyLeft[costly] as number) - 1;
    if (costly === 'zip-bomb') return { kind: costly, filename: 'bomb-1.0-py3-none-any.whl', bytes: zipBomb(rng, made.deflatedZeros) };
    if (costly === 'many-members-zip') return { kind: costly, filename: 'many-1.0-py3-none-any.whl', bytes: rng.pick(made.manyMembersZip) };
    if (costly === 'tar-bomb') return { kind: costly, filename: 'bomb-1.0.tar.gz', bytes: made.tarBomb };
    return { kind: costly, filename: 'many-1.0.tar.gz', bytes: made.manyMembersTar };
  }
  return plainMutant(wheels, sdists, rng, made.deflatedZeros);
}

/** The verdict the checks give one file: refused (with how many errors) or accepted. */
async function verdict(path: string, wholeReadMax: number): Promise<'refused' | 'accepted'> {
  const r = await inspectDist(path, { wholeReadMax });
  const problems: Problem[] = [];
  for (const p of r.problems) problems.push(p);
  if (r.dist) for (const p of preflight([r.dist], { verifyMetadata: true })) problems.push(p);
  return capPerFile(problems).some((p) => p.severity === 'error') ? 'refused' : 'accepted';
}

function withinTime<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no verdict within ${PER_MUTANT_MS} ms`)), PER_MUTANT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** What a run prints as its one JSON line (read by __tests__/fuzz/archives.test.ts). */
export interface Counts {
  kinds: Record<string, { mutants: number; refused: number; accepted: number }>;
  mutants: number;
  checks: { inMemory: number; randomAccess: number };
  failures: Array<{ index: number; kind: string; path: string; error: string }>;
  slowest: { index: number; kind: string; ms: number; path: string };
  peakRssMB: number;
  totalMs: number;
  seed: number;
  seeds: number;
}

/** One check's outcome: its verdict (or error), how long it took and the RSS it left (or peaked at). */
interface Checked {
  verdict?: 'refused' | 'accepted';
  error?: string;
  ms: number;
  rss: number;
}

async function checkHere(path: string, wholeReadMax: number): Promise<Checked> {
  const t0 = performance.now();
  try {
    const v = await withinTime(verdict(path, wholeReadMax));
    return { verdict: v, ms: performance.now() - t0, rss: process.memoryUsage.rss() };
  } catch (e) {
    return { error: (e as Error).stack ?? String(e), ms: performance.now() - t0, rss: process.memoryUsage.rss() };
  }
}

/**
 * The mutants with tens of thousands of members are checked in a process of their own: what their
 * check allocates stays in this process's heap after it is freed, and would be counted against
 * every later mutant. There, the process's peak RSS is the check's own (startup included).
 */
const ISOLATED = new Set(['many-members-zip', 'many-members-tar']);

async function checkApart(path: string, wholeReadMax: number): Promise<Checked> {
  const child = spawn(process.execPath, [import.meta.filename, '--check', path, '--whole-read-max', String(wholeReadMax)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 4 * PER_MUTANT_MS);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on('close', (c, s) => r([c, s])));
  clearTimeout(timer);
  if (code !== 0) return { error: `the check process ended with ${signal ?? code}: ${err.slice(-2000)}`, ms: 0, rss: 0 };
  return JSON.parse(out) as Checked;
}

/** `--check PATH`: one check, its outcome printed as JSON, with the process's peak RSS. */
async function checkOnly(path: string, wholeReadMax: number): Promise<void> {
  const r = await checkHere(path, wholeReadMax);
  process.stdout.write(JSON.stringify({ ...r, rss: process.resourceUsage().maxRSS * 1024 }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '15' },
      count: { type: 'string', default: '5000' },
      keep: { type: 'string' },
      check: { type: 'string' },
      'whole-read-max': { type: 'string' },
    },
  });
  if (values.check) return checkOnly(values.check, Number(values['whole-read-max']));
  const seedNo = Number(values.seed);
  const count = Number(values.count);
  const rng = new Rng(seedNo);
  const seeds = [...fixtureSeeds(), ...corpusSeeds()];
  const wheels = seeds.filter((s) => s.filename.endsWith('.whl'));
  const sdists = seeds.filter((s) => s.tar);
  const dir = await mkdtemp(join(tmpdir(), 'fuzz-'));
  const costlyLeft = { ...COSTLY };
  const made = await prepare();
  const started = Date.now();
  const c: Counts = {
    kinds: {},
    mutants: 0,
    checks: { inMemory: 0, randomAccess: 0 },
    failures: [],
    slowest: { index: -1, kind: '', ms: 0, path: '' },
    peakRssMB: 0,
    totalMs: 0,
    seed: seedNo,
    seeds: seeds.length,
  };
  try {
    for (let i = 0; i < count; i++) {
      const m = makeMutant(i, wheels, sdists, rng, costlyLeft, made);
      // What earlier mutants left for the collector is not this one's: collect it now and then
      // (under --expose-gc), and always before a costly mutant.
      if (gc && (i % 100 === 0 || m.kind in COSTLY)) gc();
      const k = (c.kinds[m.kind] ??= { mutants: 0, refused: 0, accepted: 0 });
      k.mutants++;
      c.mutants++;
      const path = join(dir, m.filename);
      await writeFile(path, m.bytes);
      // A ZIP goes through both read paths (the second as for a dist over 8 MiB); a .tar.gz has one.
      const seen = new Set<string>();
      for (const wholeReadMax of m.filename.endsWith('.whl') ? [8 * 1024 * 1024, 0] : [8 * 1024 * 1024]) {
        const how = wholeReadMax === 0 ? 'random-access' : 'in-memory';
        const r = await (ISOLATED.has(m.kind) ? checkApart : checkHere)(path, wholeReadMax);
        if (r.verdict) {
          k[r.verdict]++;
          seen.add(r.verdict);
          // Both read paths apply the same checks: a ZIP they judge differently is a bug in one.
          if (seen.size > 1) c.failures.push({ index: i, kind: m.kind, path: how, error: 'the two read paths gave different verdicts' });
        } else {
          c.failures.push({ index: i, kind: m.kind, path: how, error: r.error ?? '' });
          if (values.keep) await writeFile(join(values.keep, `${i}-${m.filename}`), m.bytes);
        }
        c.checks[wholeReadMax === 0 ? 'randomAccess' : 'inMemory']++;
        if (r.ms > c.slowest.ms) c.slowest = { index: i, kind: m.kind, ms: Math.round(r.ms), path: how };
        if (process.env['FUZZ_TRACE']) process.stderr.write(`${i} ${m.kind} ${how} ${Math.round(r.ms)}ms ${Math.round(r.rss / 1048576)}MB\n`);
        c.peakRssMB = Math.max(c.peakRssMB, Math.round(r.rss / 1048576));
        if (r.rss > MAX_RSS) c.failures.push({ index: i, kind: m.kind, path: 'rss', error: `RSS ${Math.round(r.rss / 1048576)} MB over 300 MB` });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  c.totalMs = Date.now() - started;
  process.stdout.write(`${JSON.stringify(c)}\n`);
}

await main();
