// `npm run demo` is one of the README's two commands: it must publish and verify on a fresh world,
// and leave nothing running, also when it hangs and this test gives up on it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { groupAlive } from '../../test/helpers/world.ts';

const DEMO = resolve(import.meta.dirname, '../../scripts/demo.ts');
const DEMO_TIMEOUT_MS = 120_000;
// What the demo gets, after SIGTERM, to stop its world (whose own stop waits up to 10 s) and exit.
const STOP_GRACE_MS = 15_000;

// The process groups to be gone when this suite ends: the demo's (it, the action, the verifier) and
// its world's (main.ts and the PyPI stand-in), which the demo names once started.
const groups = new Set<number>();

const killLeftovers = () => {
  for (const pid of groups) if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
};
after(killLeftovers);
process.once('exit', killLeftovers);

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  worldGroup?: number;
}

// Runs the demo in its own process group, bounded: past DEMO_TIMEOUT_MS it gets SIGTERM (it stops
// its world), and past the grace SIGKILL, so this always settles.
function runDemo(): Promise<DemoRun> {
  const child = spawn(process.execPath, [DEMO], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the demo');
  groups.add(pid);
  const run: DemoRun = { code: null, stdout: '', stderr: '', timedOut: false };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
    const named = /Local world started \(process group (\d+)\)/.exec(run.stdout);
    if (named && run.worldGroup === undefined) groups.add((run.worldGroup = Number(named[1])));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { run.stderr += chunk; });
  let kill: NodeJS.Timeout | undefined;
  const timeout = setTimeout(() => {
    run.timedOut = true;
    process.kill(-pid, 'SIGTERM');
    kill = setTimeout(() => groupAlive(pid) && process.kill(-pid, 'SIGKILL'), STOP_GRACE_MS);
  }, DEMO_TIMEOUT_MS);
  return new Promise((done) => child.once('close', (code) => {
    clearTimeout(timeout);
    clearTimeout(kill);
    done({ ...run, code });
  }));
}

test('the demo publishes the sample dists, PyPI\'s verifier accepts their provenance, and its world stops',
  { timeout: DEMO_TIMEOUT_MS + STOP_GRACE_MS + 10_000 }, async () => {
    const run = await runDemo();
    assert.equal(run.timedOut, false, `the demo did not finish in ${DEMO_TIMEOUT_MS} ms:\n${run.stdout}${run.stderr}`);
    assert.equal(run.code, 0, `${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /sampleproject 1\.0\.0: 2 of 2 files published to /);
    assert.match(run.stdout, /\| `sampleproject-1\.0\.0\.tar\.gz` \| ✅ uploaded \|/);
    assert.equal(run.stdout.match(/"predicate_type": "https:\/\/docs\.pypi\.org\/attestations\/publish\/v1"/g)?.length, 2);
    assert.doesNotMatch(run.stdout, /::add-mask::/);
    assert.ok(run.worldGroup, 'the demo names its world');
    assert.equal(groupAlive(run.worldGroup), false, 'the world is left running after the demo');
  });
