// devpi-server (from PyPI, in .tools/devpi: scripts/setup-devpi.sh) as a real third-party index: a user
// with a password, a non-volatile index that answers 409 for a file name it holds, its simple pages
// under `+simple/` beside the upload URL. Started per suite on a free port, with no PyPI mirror.
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.ts';
import { scratchDir } from './scratch.ts';
import { onFreePorts, startProcess } from './server-process.ts';
import { stopChild } from '../world/child.ts';

const BIN = resolve(import.meta.dirname, '../../.tools/devpi/bin');

export interface Devpi {
  /** The upload URL of the user's index, as a maintainer would give it. */
  uploadUrl: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}

async function serve(serverdir: string, log: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = await startProcess(
    join(BIN, 'devpi-server'),
    ['--serverdir', serverdir, '--host', '127.0.0.1', '--port', String(port), '--offline-mode'],
    { HOME: serverdir },
    /Serving on http:/,
    log,
    { listening: port },
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

/** A JSON request of devpi's REST API, as its own client makes it; throws on any answer but 2xx. */
async function rest(url: string, method: string, body: unknown, auth?: string): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (auth) headers['authorization'] = `Basic ${Buffer.from(auth).toString('base64')}`;
  const res = await fetch(url, { method, headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`devpi ${method} ${url}: ${res.status} ${await res.text()}`);
}

export async function startDevpi(): Promise<Devpi> {
  const dir = await scratchDir('devpi-');
  const serverdir = join(dir, 'server');
  await promisify(execFile)(join(BIN, 'devpi-init'), ['--serverdir', serverdir, '--no-root-pypi'], { env: { HOME: dir, PATH: process.env['PATH'] ?? '' } });
  const { child, url } = await onFreePorts(() => serve(serverdir, join(dir, 'devpi-server.log')));
  const user = 'maintainer';
  const password = `devpi-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  try {
    await rest(`${url}/${user}`, 'PUT', { password });
    await rest(`${url}/${user}/dev`, 'PUT', { type: 'stage', bases: '', volatile: false }, `${user}:${password}`);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { uploadUrl: `${url}/${user}/dev/`, user, password, stop: () => stopChild(child) };
}
