// A server binary started for a test: ready when a line of its output says so, killed with the test
// process, its output kept in a file for when it fails.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 30_000;

/**
 * Starts `binary` and resolves once a line of its output matches `ready`; rejects when it exits
 * first (its port was taken) or does not get there in time. Its output goes to `log`.
 */
export async function startProcess(
  binary: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  log: string,
  options: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): Promise<ChildProcess> {
  const child = spawn(binary, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  process.once('exit', () => child.kill('SIGKILL'));
  const lines: string[] = [];
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${binary} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const onLine = (line: string) => {
        lines.push(line);
        if (ready.test(line)) clearTimeout(timer), done();
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', onLine);
      child.once('exit', (code) => (clearTimeout(timer), fail(new Error(`${binary} exited (${code}) before it was ready:\n${lines.join('\n')}`))));
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    await writeFile(log, lines.join('\n'));
  }
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
