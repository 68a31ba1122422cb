// The contract of the helper that starts the real servers (test/helpers/server-process.ts): a server
// counts as started only once its port takes a connection, and a start that fails leaves nothing
// running. Fulcio logs "listening on http at" before it binds; a request sent on that line alone was
// refused on a slow machine, and the Fulcio-less start left Rekor's processes holding the run open.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../test/helpers/ports.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { startProcess, stoppedOnFailure, takesConnection } from '../../test/helpers/server-process.ts';
import { stopChild } from '../../test/world/child.ts';

/** A server that says it is ready, then binds `port` after `bindAfterMs` (never when negative), or exits when `exitAfterReady`. */
const FAKE = `
const [port, bindAfterMs, exitAfterReady] = process.argv.slice(1).map(Number);
console.log('listening on http at 127.0.0.1:' + port);
if (exitAfterReady) process.exit(3);
const server = require('node:net').createServer((s) => s.end());
if (bindAfterMs >= 0) setTimeout(() => server.listen(port, '127.0.0.1'), bindAfterMs);
setInterval(() => {}, 1 << 30);
`;

async function startFake(bindAfterMs: number, options: { exitAfterReady?: boolean; timeoutMs?: number } = {}) {
  const port = await freePort();
  const log = join(await scratchDir('server-process-'), 'log');
  const args = ['-e', FAKE, String(port), String(bindAfterMs), options.exitAfterReady ? '1' : '0'];
  const starting = startProcess(process.execPath, args, {}, /listening on http at/, log, { listening: port, timeoutMs: options.timeoutMs ?? 10_000 });
  return { port, starting };
}

test('a server that says it listens before it binds counts as started only once its port takes a connection', async () => {
  const { port, starting } = await startFake(300);
  const child = await starting;
  try {
    assert.equal(await takesConnection(port), true);
  } finally {
    await stopChild(child);
  }
});

test('a server that never binds the port it named fails to start in the time given', async () => {
  const { port, starting } = await startFake(-1, { timeoutMs: 500 });
  await assert.rejects(starting, new RegExp(`said it was ready but port ${port} took no connection in time`));
});

test('a server that exits after its ready line fails to start and names the port it never bound', async () => {
  const { port, starting } = await startFake(-1, { exitAfterReady: true });
  await assert.rejects(starting, new RegExp(`exited before port ${port} took a connection|exited \\(3\\) before it was ready`));
});

test('stoppedOnFailure stops what was started when the work after it fails, and passes a success through', async () => {
  const stopped: string[] = [];
  const stop = async () => void stopped.push('stopped');
  await assert.rejects(
    stoppedOnFailure(stop, async () => {
      throw new Error('the trust bundle was refused');
    }),
    /the trust bundle was refused/,
  );
  assert.deepEqual(stopped, ['stopped']);
  assert.equal(await stoppedOnFailure(stop, async () => 'started'), 'started');
  assert.deepEqual(stopped, ['stopped']);
});

test('a server a test leaves running does not keep the test process alive, and goes with it', async () => {
  const port = await freePort();
  const helper = new URL('../../test/helpers/server-process.ts', import.meta.url).href;
  const script = `
    import { startProcess } from ${JSON.stringify(helper)};
    await startProcess(process.execPath, ['-e', ${JSON.stringify(FAKE)}, '${port}', '0', '0'], {}, /listening on http at/, '/dev/null', { listening: ${port} });
    console.log('started');`;
  // Killed after 30 s: a process the server holds open would otherwise hold this test.
  const signal = AbortSignal.timeout(30_000);
  const started = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'], signal });
  started.on('error', () => {});
  const [code] = (await once(started, 'exit')) as [number | null];
  assert.equal(code, 0, 'the process ended of itself');
  assert.equal(await closesWithin(port, 5_000), true, 'the server went with the process that started it');
});

/**
 * Whether `port` stops taking connections within `ms`: the server is killed as the process that
 * started it exits, and its socket closes once the kernel has torn it down, a moment later on a
 * loaded machine (a check right at the exit failed in CI).
 */
async function closesWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await takesConnection(port)) {
    if (Date.now() >= deadline) return false;
    await new Promise((next) => setImmediate(next));
  }
  return true;
}
