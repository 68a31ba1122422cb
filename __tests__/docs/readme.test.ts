// The README as a new user follows it: its front page stays short, its links resolve, and the shell
// blocks of "Rehearse a release locally" run as written — `npm run setup`, `npm run demo`, then the
// local world, a Trusted Publisher registered in the stand-in, the CLI's check and upload, and a
// verification with sigstore-python. They run in one bash process in a process group of its own,
// bounded: past the timeout the group gets SIGTERM, then SIGKILL, so this always settles and leaves
// nothing running (the demo names its world's group, which must be gone too).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tufCacheRoot } from '../../src/sigstore/tuf-cache.ts';
import { groupAlive } from '../../test/helpers/world.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const RUN_TIMEOUT_MS = 240_000;
// What the script gets, after SIGTERM, to stop its worlds (whose own stop waits up to 10 s) and exit.
const STOP_GRACE_MS = 15_000;

const groups = new Set<number>();
const killLeftovers = () => {
  for (const pid of groups) if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
};
after(killLeftovers);
process.once('exit', killLeftovers);

/** The ```sh blocks between a heading and the next heading (act has a sub-section, and a suite, of its own). */
export function shellBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no "${heading}"`);
  const rest = markdown.slice(start + heading.length + 2);
  const next = rest.search(/^#{1,6} /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

interface ScriptRun {
  code: number | null;
  out: string;
  timedOut: boolean;
  worldGroup?: number;
  leftovers: boolean;
}

function runScript(script: string): Promise<ScriptRun> {
  // The variables a previous world may have exported in this process must not leak into the README's run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(WORLD_|ACTIONS_ID_TOKEN_|PYPI_PUBLISH_|GITHUB_)/.test(k)));
  const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn bash');
  groups.add(pid);
  const run: ScriptRun = { code: null, out: '', timedOut: false, leftovers: false };
  const take = (chunk: string) => {
    run.out += chunk;
    const named = /Local world started \(process group (\d+)\)/.exec(run.out);
    if (named && run.worldGroup === undefined) groups.add((run.worldGroup = Number(named[1])));
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  let kill: NodeJS.Timeout | undefined;
  const timeout = setTimeout(() => {
    run.timedOut = true;
    process.kill(-pid, 'SIGTERM');
    kill = setTimeout(() => groupAlive(pid) && process.kill(-pid, 'SIGKILL'), STOP_GRACE_MS);
  }, RUN_TIMEOUT_MS);
  // Once bash exits, whatever of its group still runs (a world the script failed to stop, which
  // holds stderr open) is a leftover: noted, then killed, so the pipes close.
  child.once('exit', () => {
    run.leftovers = groupAlive(pid);
    if (run.leftovers) process.kill(-pid, 'SIGKILL');
  });
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(timeout);
      clearTimeout(kill);
      done({ ...run, code });
    }),
  );
}

test('the README front page is at most 12 KB, and every local file it links to exists', () => {
  assert.ok(Buffer.byteLength(README) <= 12 * 1024, `README.md is ${Buffer.byteLength(README)} bytes`);
  const links = [...README.matchAll(/\]\(((?:docs|examples)\/[^)#]+)/g)].map((m) => m[1] as string);
  assert.ok(links.length >= 6, links.join());
  for (const link of links) assert.ok(existsSync(join(ROOT, link)) && statSync(join(ROOT, link)).size > 0, `${link} is missing`);
});

test("the README's local rehearsal runs as written: setup, demo, world, publisher, CLI check and upload, verification", {
  timeout: RUN_TIMEOUT_MS + STOP_GRACE_MS + 10_000,
}, async (t) => {
  const blocks = shellBlocks(README, '## Rehearse a release locally');
  assert.equal(blocks.length, 2, 'the two commands, then the rehearsal with the CLI');
  assert.match(blocks[0] as string, /^npm run setup\nnpm run demo\n$/);
  // The CLI, run as a user runs it, caches the world's TUF repository in the user's cache directory;
  // each world is new, so what this run added there is removed after it.
  const tufCache = join(tufCacheRoot(process.env), 'sigstore-tuf');
  const cachedBefore = new Set(existsSync(tufCache) ? readdirSync(tufCache) : []);
  // ... and the directories it made for it, deepest first, when nothing else went into them.
  const madeDirs = [tufCache, dirname(tufCache), dirname(dirname(tufCache))].filter((d) => !existsSync(d));
  t.after(() => {
    for (const name of existsSync(tufCache) ? readdirSync(tufCache) : [])
      if (!cachedBefore.has(name)) rmSync(join(tufCache, name), { recursive: true, force: true });
    for (const dir of madeDirs) if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  });
  const run = await runScript(blocks.join('\n'));
  assert.equal(run.timedOut, false, `the README's commands did not finish in ${RUN_TIMEOUT_MS} ms:\n${run.out}`);
  assert.equal(run.code, 0, run.out);
  assert.equal(run.leftovers, false, "a process of the README's commands outlived them");
  // npm run demo: published, PyPI's verifier accepted both provenances, its world stopped.
  assert.match(run.out, /sampleproject 1\.0\.0: 2 of 2 files published to /);
  assert.match(run.out, /\| `sampleproject-1\.0\.0\.tar\.gz` \| ✅ uploaded \|/);
  assert.equal(run.out.match(/"predicate_type": "https:\/\/docs\.pypi\.org\/attestations\/publish\/v1"/g)?.length, 2);
  assert.equal(run.out.match(/"predicate_type": "https:\/\/slsa\.dev\/provenance\/v1"/g)?.length, 2, 'each file also has its build provenance');
  assert.match(run.out, /sampleproject-1\.0\.0\.tar\.gz: provenance served by the index: publish ✓ build ✓/);
  assert.doesNotMatch(run.out, /::add-mask::/);
  // The demo installs only what it uses: not act (scripts/setup-act.sh says when it runs).
  assert.doesNotMatch(run.out, /setup-act/);
  assert.ok(run.worldGroup, 'the demo names its world');
  assert.equal(groupAlive(run.worldGroup), false, 'the demo left its world running');
  // The CLI: the check passed, the upload went through Trusted Publishing (not invalid-publisher).
  assert.match(run.out, /Checking \.work\/dists\/sampleproject-1\.0\.0-py3-none-any\.whl: PASSED/);
  assert.doesNotMatch(run.out, /invalid-publisher/);
  const cli = run.out.slice(run.out.indexOf('Checking .work/dists/'));
  assert.match(cli, /sampleproject 1\.0\.0: 2 of 2 files published to /, 'the CLI published');
  assert.match(readFileSync(join(ROOT, '.work/summary.md'), 'utf8'), /verified before upload with PyPI's policy/);
  // sigstore-python accepted the bundle the CLI wrote; `kill %1` stopped the world.
  assert.match(run.out, /^OK: \.work\/dists\/sampleproject-1\.0\.0-py3-none-any\.whl$/m);
  assert.equal(groupAlive(run.worldGroup), false);
});
