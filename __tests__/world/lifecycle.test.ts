// The world's contract for its lifetime: every documented variable is exported, and stopping it
// leaves no process (the whole process group, PyPI stand-in included) and no listening port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { parseExport, startWorld } from '../../test/helpers/world.ts';

const SIGSTORE_VARS = [
  'WORLD_DIR',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'WORLD_OIDC_URL',
  'WORLD_GITLAB_ID_TOKENS_URL',
  'WORLD_CIRCLECI_ID_TOKENS_URL',
  'WORLD_FULCIO_URL',
  'WORLD_REKOR_URL',
  'WORLD_TSA_URL',
  'WORLD_CTLOG_URL',
  'WORLD_TUF_URL',
  'WORLD_TRUSTED_ROOT',
  'WORLD_TRUST_CONFIG',
  'PYPI_PUBLISH_SIGSTORE_TUF_URL',
  'PYPI_PUBLISH_SIGSTORE_TUF_ROOT',
];

function refused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function startAndStop(pypi: boolean, expected: string[]): Promise<void> {
  const world = await startWorld({ pypi });
  try {
    assert.deepEqual(Object.keys(world.env).sort(), [...expected].sort());
    assert.match(world.env.ACTIONS_ID_TOKEN_REQUEST_URL!, /^http:\/\/127\.0\.0\.1:\d+\/token\?$/);
    assert.equal(world.env.WORLD_TRUSTED_ROOT, `${world.dir}/trusted_root.json`);
    assert.equal(world.env.WORLD_TRUST_CONFIG, `${world.dir}/trust_config.json`);
    assert.equal(world.env.PYPI_PUBLISH_SIGSTORE_TUF_ROOT, `${world.dir}/tuf-root.json`);
    assert.equal(world.env.PYPI_PUBLISH_SIGSTORE_TUF_URL, world.env.WORLD_TUF_URL);
  } finally {
    await world.stop();
  }
  assert.ok(groupGone(world.pid), 'no process of the world is left');
  for (const url of Object.values(world.urls)) assert.ok(await refused(Number(new URL(url).port)), `${url} is closed`);
}

test('without PyPI: exports the Sigstore and OIDC variables, stops cleanly', () => startAndStop(false, SIGSTORE_VARS));

test('with the PyPI stand-in (the default): exports its URLs too, stops cleanly', () =>
  startAndStop(true, [...SIGSTORE_VARS, 'WORLD_PYPI_URL', 'WORLD_PYPI_UPLOAD_URL']));

// What Ctrl-C / `kill <pid>` on `npm run world` relies on: main.ts itself stops its children.
test('SIGTERM to main.ts alone takes its children down before it exits', async () => {
  const world = await startWorld({ pypi: true });
  process.kill(world.pid, 'SIGTERM');
  await world.exited;
  assert.ok(groupGone(world.pid), 'the PyPI stand-in is gone too');
  assert.ok(await refused(Number(new URL(world.urls.pypi!).port)));
  await world.stop();
});

// What keeps a world from outliving a suite or the demo killed by a signal, which runs no exit hook:
// startWorld hands main.ts a stdin pipe, and its end (the starter died) stops the world. The test
// ends the pipe itself. A world that ignores it fails the test at its timeout, whose signal ends the
// waits so that `finally` kills the world.
test('--stop-with-parent: the world and its children stop when stdin ends', { timeout: 60_000 }, async (t) => {
  const main = resolve(import.meta.dirname, '../../test/world/main.ts');
  const dir = await mkdtemp(join(tmpdir(), 'world-stdin-'));
  const child = spawn(process.execPath, [main, '--stop-with-parent', '--dir', dir], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const env: Record<string, string> = {};
    for await (const line of createInterface({ input: child.stdout, signal: t.signal })) {
      const kv = parseExport(line);
      if (kv) env[kv[0]] = kv[1];
      if (line === 'ready') break;
    }
    const urls = ['WORLD_OIDC_URL', 'WORLD_FULCIO_URL', 'WORLD_REKOR_URL', 'WORLD_TSA_URL', 'WORLD_CTLOG_URL', 'WORLD_PYPI_URL'].map((name) => env[name]);
    assert.ok(urls.every(Boolean), 'the world, PyPI stand-in included, is up');
    const exited = once(child, 'exit', { signal: t.signal });
    child.stdin.end();
    await exited;
    assert.ok(groupGone(child.pid!), 'the PyPI stand-in is gone too');
    for (const url of urls) assert.ok(await refused(Number(new URL(url!).port)), `${url} is closed`);
  } finally {
    if (!groupGone(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('export lines round-trip values that need shell quoting', () => {
  assert.deepEqual(parseExport("export WORLD_DIR='/tmp/a b/it'\\''s'"), ['WORLD_DIR', "/tmp/a b/it's"]);
  assert.deepEqual(parseExport('export WORLD_OIDC_URL=http://127.0.0.1:1/token?'), ['WORLD_OIDC_URL', 'http://127.0.0.1:1/token?']);
  assert.equal(parseExport('ready'), undefined);
});
