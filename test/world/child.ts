// Stopping a server process the world or a test started: SIGTERM, then SIGKILL if it has not exited
// within the timeout, so a stop never waits forever.
import type { ChildProcess } from 'node:child_process';

const CHILD_EXIT_TIMEOUT_MS = 5_000;

export async function stopChild(child: ChildProcess, timeoutMs = CHILD_EXIT_TIMEOUT_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
