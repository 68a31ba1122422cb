// A server binary started for a test: ready when a line of its output says so (and, for a server that
// says so before it binds, when its port takes a connection), killed with the test process and never
// keeping it alive, its output kept in a file for when it fails.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 30_000;
/** How long to wait before trying a port again that refused a connection. */
const PORT_RETRY_MS = 10;

export interface StartOptions extends Pick<SpawnOptions, 'uid' | 'gid'> {
  /**
   * A loopback port that must take a connection before the server counts as started. Fulcio logs
   * "listening on http at" and only then binds, in another goroutine: a request sent on that line
   * alone can be refused.
   */
  listening?: number;
  /** how long it may take to get there; 30 s unless told */
  timeoutMs?: number;
}

/** Whether a loopback port takes a TCP connection now. */
export function takesConnection(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

/** Resolves once `port` takes a connection; rejects at `deadline` (ms since the epoch) or when `child` exits. */
async function untilListening(child: ChildProcess, binary: string, port: number, deadline: number): Promise<void> {
  while (!(await takesConnection(port))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${binary} exited before port ${port} took a connection`);
    if (Date.now() >= deadline) throw new Error(`${binary} said it was ready but port ${port} took no connection in time`);
    await new Promise((done) => setTimeout(done, PORT_RETRY_MS));
  }
}

/**
 * Starts `binary` and resolves once a line of its output matches `ready` (and `options.listening`
 * takes a connection); rejects when it exits first (its port was taken) or does not get there in
 * time. Its output goes to `log`.
 */
export async function startProcess(
  binary: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  log: string,
  options: StartOptions = {},
): Promise<ChildProcess> {
  const { listening, timeoutMs = START_TIMEOUT_MS, ...ids } = options;
  const deadline = Date.now() + timeoutMs;
  const child = spawn(binary, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
  process.once('exit', () => child.kill('SIGKILL'));
  const lines: string[] = [];
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${binary} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
      const onLine = (line: string) => {
        lines.push(line);
        if (ready.test(line)) clearTimeout(timer), done();
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', onLine);
      child.once('exit', (code) => (clearTimeout(timer), fail(new Error(`${binary} exited (${code}) before it was ready:\n${lines.join('\n')}`))));
    });
    if (listening !== undefined) await untilListening(child, binary, listening, deadline);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    await writeFile(log, lines.join('\n'));
  }
  // A server a test forgot (or a failed start left) must not hold the test process open, and with it
  // the whole run: the process ends when its own work does, and its 'exit' kills the server.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as Socket | null)?.unref();
  return child;
}

/** Tries `launch` on fresh ports up to three times: a port free when asked may be taken when bound. */
export async function onFreePorts<T>(launch: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch();
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Runs `work`; when it fails, runs `stop` (what was started before it) and rethrows. */
export async function stoppedOnFailure<T>(stop: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await stop();
    throw error;
  }
}
