// pypiserver (from PyPI) as a real third-party index: password uploads through htpasswd, 409 on an
// existing file, a PEP 503 simple index with sha256 fragments. Started per suite on a free port.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.ts';
import { scratchDir } from './scratch.ts';
import { stopChild } from '../world/child.ts';

const VENV = resolve(import.meta.dirname, '../../.venv/bin');
const START_TIMEOUT_MS = 20_000;

export interface PypiServer {
  url: string;
  uploadUrl: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** pypi-server on a port that was free; undefined when it exited before answering (the port was taken). */
async function listenOnFreePort(htpasswd: string, packages: string): Promise<{ child: ChildProcess; url: string } | undefined> {
  const port = await freePort();
  const child = spawn(
    join(VENV, 'pypi-server'),
    ['run', '-i', '127.0.0.1', '-p', String(port), '-P', htpasswd, '-a', 'update', '--disable-fallback', '--log-stream', 'none', packages],
    { stdio: 'ignore' },
  );
  // A test process that ends without stop() must not leave pypi-server running.
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const ok = await fetch(`${url}/simple/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url };
    if (child.exitCode !== null) return undefined;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`pypiserver did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPypiServer(): Promise<PypiServer> {
  const dir = await scratchDir('pypiserver-');
  const htpasswd = join(dir, 'htpasswd');
  await mkdir(join(dir, 'packages'));
  const user = 'uploader';
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  await promisify(execFile)(join(VENV, 'python'), [
    '-c',
    'import sys; from passlib.apache import HtpasswdFile as H; h = H(sys.argv[1], new=True); h.set_password(sys.argv[2], sys.argv[3]); h.save()',
    htpasswd,
    user,
    password,
  ]);
  // The free port is free when asked, not when pypi-server binds it: another suite running at the
  // same time may take it first, and pypi-server then exits at once. It is tried again on another.
  let started: { child: ChildProcess; url: string } | undefined;
  for (let attempt = 1; !started; attempt++) {
    started = await listenOnFreePort(htpasswd, join(dir, 'packages'));
    if (!started && attempt === 3) throw new Error('pypiserver did not start (it exited on three free ports in turn)');
  }
  const { child, url } = started;
  return {
    url,
    uploadUrl: `${url}/`,
    user,
    password,
    stop: () => stopChild(child),
  };
}
