// The world's contract for its lifetime: every documented variable is exported, and stopping it
// leaves no process (the whole process group, PyPI stand-in included) and no listening port.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { parseExport, startWorld } from '../../test/helpers/world.ts';

const SIGSTORE_VARS = ['WORLD_DIR', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'WORLD_OIDC_URL',
  'WORLD_FULCIO_URL', 'WORLD_REKOR_URL', 'WORLD_TSA_URL', 'WORLD_TRUSTED_ROOT', 'PYPI_PUBLISH_TRUST_CONFIG'];

function refused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); done(false); });
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
    assert.equal(world.env.PYPI_PUBLISH_TRUST_CONFIG, `${world.dir}/trust_config.json`);
  } finally {
    await world.stop();
  }
  assert.ok(groupGone(world.pid), 'no process of the world is left');
  for (const url of Object.values(world.urls)) assert.ok(await refused(Number(new URL(url).port)), `${url} is closed`);
}

test('without PyPI: exports the Sigstore and OIDC variables, stops cleanly', () => startAndStop(false, SIGSTORE_VARS));

test('with the PyPI stand-in (the default): exports its URLs too, stops cleanly',
  () => startAndStop(true, [...SIGSTORE_VARS, 'WORLD_PYPI_URL', 'WORLD_PYPI_UPLOAD_URL']));

// What Ctrl-C / `kill <pid>` on `npm run world` relies on: main.ts itself stops its children.
test('SIGTERM to main.ts alone takes its children down before it exits', async () => {
  const world = await startWorld({ pypi: true });
  process.kill(world.pid, 'SIGTERM');
  await world.exited;
  assert.ok(groupGone(world.pid), 'the PyPI stand-in is gone too');
  assert.ok(await refused(Number(new URL(world.urls.pypi!).port)));
  await world.stop();
});

test('export lines round-trip values that need shell quoting', () => {
  assert.deepEqual(parseExport("export WORLD_DIR='/tmp/a b/it'\\''s'"), ['WORLD_DIR', "/tmp/a b/it's"]);
  assert.deepEqual(parseExport('export WORLD_OIDC_URL=http://127.0.0.1:1/token?'), ['WORLD_OIDC_URL', 'http://127.0.0.1:1/token?']);
  assert.equal(parseExport('ready'), undefined);
});
