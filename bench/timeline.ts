// node bench/timeline.ts [--count N] [--size BYTES] [--latency MS] [--runs N] [--match REGEX]
//                        [--entry FILE[,FILE…]] [--node-options STRING]
//
// One bench shape, timed from inside: the built action (dist/index.js) publishes N wheels of SIZE
// bytes to a fresh index of the local world, with MS of latency on every Sigstore and index request,
// and each line of its step log that matches REGEX is printed with the milliseconds since the process
// was spawned, followed by the process's wall time, CPU and peak RSS (/usr/bin/time when present) and
// the CPU each of the world's processes used meanwhile (Linux /proc). What docs/architecture.md's
// timelines ("What bounds the targets of issue #21") come from; the figures of record are the bench's.
// Several entries (builds of the action copied elsewhere) are run in turn, run after run, so an A/B
// comparison meets the same machine load; --node-options is passed to the action as NODE_OPTIONS
// (e.g. `--import=probe.mjs` to sample its memory).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startWorld, type World } from '../test/helpers/world.ts';
import { pypiControl } from '../test/helpers/pypi.ts';
import { runnerEnv } from '../test/helpers/run-action.ts';
import { writeWheel } from './dists.ts';

const ROOT = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const COUNT = Number(opt('--count', '100'));
const SIZE = Number(opt('--size', String(1 << 20)));
const LATENCY = Number(opt('--latency', '0'));
const RUNS = Number(opt('--runs', '1'));
const MATCH = new RegExp(opt('--match', '^::group::|signingCert|mint-token'));
const ENTRIES = opt('--entry', join(ROOT, 'dist/index.js'))
  .split(',')
  .map((e) => resolve(e));
const NODE_OPTIONS = opt('--node-options', '');
const PROJECT = 'timeline-proj';

/** CPU milliseconds (user + sys) per command name of the processes in one process group. */
function groupCpuMs(pgid: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync('/proc/self/stat')) return out;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

async function freshIndex(world: World, pypi: ReturnType<typeof pypiControl>): Promise<void> {
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${pypi.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  };
  await control('/_world/reset', {});
  await pypi.project(PROJECT, (1 << 30) + (1 << 20));
  await pypi.trust({ project: PROJECT });
  for (const service of ['fulcio', 'rekor', 'tsa'] as const) await world.latency(service, LATENCY);
  if (LATENCY) await control('/_world/latency', { ms: LATENCY });
}

/** Runs the action once, printing the matching log lines as they come, stamped. */
function runStamped(env: Record<string, string>, cwd: string, entry: string): Promise<number> {
  const timed = existsSync('/usr/bin/time');
  const command = timed ? '/usr/bin/time' : process.execPath;
  const args = [...(timed ? ['-f', 'action: %e s wall, %U s user, %S s sys, %M KB peak RSS', process.execPath] : []), entry];
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: NODE_OPTIONS ? { ...env, NODE_OPTIONS } : env, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (data: Buffer) => {
      pending += data.toString('utf8');
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        if (MATCH.test(line)) process.stdout.write(`${String(Date.now() - started).padStart(6)} ${line.slice(0, 160)}\n`);
      }
    });
    child.on('exit', (code) => done(code ?? 1));
  });
}

const world = await startWorld();
const pypi = pypiControl(world);
const dir = await mkdtemp(join(tmpdir(), 'timeline-'));
try {
  for (let i = 0; i < COUNT; i++) await writeWheel(dir, PROJECT, '1.0', SIZE, `py3-none-manylinux_2_${17 + i}_x86_64`);
  for (let run = 0; run < RUNS * ENTRIES.length; run++) {
    const entry = ENTRIES[run % ENTRIES.length] as string;
    if (ENTRIES.length > 1) process.stdout.write(`${entry}\n`);
    await freshIndex(world, pypi);
    const runner = await runnerEnv(dir);
    const env = { ...runner.env, HOME: runner.files.dir, ...world.env, 'INPUT_REPOSITORY-URL': pypi.uploadUrl, 'INPUT_PACKAGES-DIR': '.' };
    const before = groupCpuMs(world.pid);
    const code = await runStamped(env, dir, entry);
    const after = groupCpuMs(world.pid);
    const worldCpu = Object.keys(after).map((name) => `${name} ${after[name]! - (before[name] ?? 0)} ms`);
    process.stdout.write(`run ${Math.floor(run / ENTRIES.length) + 1}: exit ${code}; the world's CPU meanwhile: ${worldCpu.join(', ')}\n`);
    await rm(runner.files.dir, { recursive: true, force: true });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
  await world.stop();
}
