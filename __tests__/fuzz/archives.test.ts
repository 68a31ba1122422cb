// The seeded archive fuzzer (test/fuzz/run.ts) as a CI suite: ≥5,000 mutants of real wheels and
// sdists through the dist checks, on both read paths. It runs as a child process, so a native abort
// or a stack overflow shows as that child's death (a failure here), not as a hang or a lost suite.
// FUZZ_SEED picks another seed; the default keeps CI reproducible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Counts } from '../../test/fuzz/run.ts';

const RUN = resolve(import.meta.dirname, '../../test/fuzz/run.ts');
const MUTANTS = 5000;
/** The whole run: a couple of minutes on 2 shared cores, with room for a slow machine. */
const TOTAL_MS = 240_000;

test(`${MUTANTS} mutants of real wheels and sdists each end in a verdict: no crash, ≤5 s and ≤300 MB each`, { timeout: TOTAL_MS + 30_000 }, async (t) => {
  const seed = process.env['FUZZ_SEED'] ?? '15';
  // --expose-gc: the fuzzer collects garbage between mutants, so the RSS it reads is one mutant's.
  const child = spawn(process.execPath, ['--expose-gc', RUN, '--seed', seed, '--count', String(MUTANTS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), TOTAL_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
  clearTimeout(timer);
  assert.equal(signal, null, `the fuzzer died by ${signal} (seed ${seed}): ${stderr.slice(-4000)}`);
  assert.equal(code, 0, `the fuzzer exited with ${code} (seed ${seed}): ${stderr.slice(-4000)}`);
  const c = JSON.parse(stdout.trim().split('\n').pop() as string) as Counts;

  const lines = [
    `seed ${c.seed}, ${c.seeds} seed files, ${c.mutants} mutants in ${(c.totalMs / 1000).toFixed(1)} s`,
    `checks: ${c.checks.inMemory} in memory, ${c.checks.randomAccess} by random access`,
  ];
  for (const [kind, k] of Object.entries(c.kinds).sort())
    lines.push(`  ${kind.padEnd(22)} ${String(k.mutants).padStart(5)} mutants: ${k.refused} refused, ${k.accepted} accepted`);
  lines.push(
    `slowest: #${c.slowest.index} ${c.slowest.kind} (${c.slowest.path}) ${c.slowest.ms} ms; peak RSS ${c.peakRssMB} MB; failures ${c.failures.length}`,
  );
  for (const l of lines) t.diagnostic(l);

  assert.ok(c.mutants >= MUTANTS, `${c.mutants} mutants`);
  assert.ok(c.checks.randomAccess > 1000, 'the random-access path ran');
  const verdicts = Object.values(c.kinds).reduce((n, k) => n + k.refused + k.accepted, 0);
  assert.equal(verdicts, c.checks.inMemory + c.checks.randomAccess - c.failures.filter((f) => f.path !== 'rss').length);
  assert.deepEqual(
    c.failures.map((f) => `#${f.index} ${f.kind} ${f.path}: ${f.error.split('\n').slice(0, 4).join(' | ')}`),
    [],
  );
  assert.ok(c.slowest.ms <= 5000 && c.peakRssMB <= 300);
});
