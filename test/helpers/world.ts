// Starts the local world (test/world/main.ts) as a child process for one test suite and drives its
// control endpoints. The child leads its own process group, so stop() — or this process exiting —
// takes the PyPI stand-in down with it; and it stops itself when this process dies without exiting
// (a signal, SIGKILL), as its stdin, a pipe from here, then ends.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Fault } from '../world/faults.ts';
import type { Overrides } from '../world/oidc/claims.ts';

export type Service = 'oidc' | 'fulcio' | 'rekor' | 'tsa' | 'ctlog' | 'tuf' | 'pypi';

/** GET /_world/stats, the same shape from every service (test/world/faults.ts, standin/faults.py). */
export interface Stats {
  /** requests per "METHOD route", the route named by its template where it has a variable part */
  requests: Record<string, number>;
  /** most requests of a route served at once */
  peak: Record<string, number>;
  /** streamedBytes: what endless and drip bodies sent (hostile faults); streamedMaxBytes: the most one answer sent */
  faults: { fired: number; pending: number; streamedBytes?: number; streamedMaxBytes?: number };
}

export interface WorldOptions {
  /** Start the Python PyPI stand-in (default true). */
  pypi?: boolean;
  /** Keep $WORLD_DIR after stop() (default: only when WORLD_KEEP is set). */
  keepDir?: boolean;
  /** Bound on start-up (default 60 s). */
  timeoutMs?: number;
}

export interface World {
  /** Every exported variable (docs/architecture.md), ready to merge into a child's environment. */
  env: Record<string, string>;
  dir: string;
  urls: Partial<Record<Service, string>>;
  /** Process id of main.ts, which is also its process group id. */
  pid: number;
  /** Settles when main.ts exits (after stop(), or if it dies on its own). */
  exited: Promise<void>;
  /** Registers an OIDC scenario; returns its request token (for ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  scenario(claims?: Overrides, preset?: string): Promise<string>;
  /** Fetches an ID token the way the runner's clients do. */
  idToken(audience: string, requestToken?: string): Promise<string>;
  fault(service: Service, fault: Fault): Promise<void>;
  clearFaults(service: Service): Promise<void>;
  latency(service: Service, ms: number): Promise<void>;
  stats(service: Service): Promise<Stats>;
  /** Publishes a new signing_config.v0.2.json through the world's TUF repository (a new targets version). */
  publishSigningConfig(config: object): Promise<void>;
  /** The signing config the world published first (its own services). */
  signingConfig(): Promise<any>;
  resetStats(service: Service): Promise<void>;
  /** Every secret the world issued or was given so far (ID tokens, request tokens, PyPI tokens, passwords). */
  secrets(): Promise<string[]>;
  stop(): Promise<void>;
}

const MAIN = resolve(import.meta.dirname, '../world/main.ts');
const STOP_TIMEOUT_MS = 10_000;

const URL_VARS: Record<Service, string> = {
  oidc: 'WORLD_OIDC_URL',
  fulcio: 'WORLD_FULCIO_URL',
  rekor: 'WORLD_REKOR_URL',
  tsa: 'WORLD_TSA_URL',
  ctlog: 'WORLD_CTLOG_URL',
  tuf: 'WORLD_TUF_URL',
  pypi: 'WORLD_PYPI_URL',
};

/** Parses one `export KEY=value` line as main.ts prints it (value possibly single-quoted). */
export function parseExport(line: string): [string, string] | undefined {
  const m = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
  if (!m?.[1] || m[2] === undefined) return undefined;
  const raw = m[2];
  const value = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw;
  return [m[1], value];
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A JSON request to a world control endpoint; throws with the answer on any non-2xx. */
export async function call(url: string, method: string, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const args = [MAIN, '--stop-with-parent', ...(opts.pypi === false ? ['--no-pypi'] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the world');
  // A suite that crashes before stop() must not leave the world running.
  const killOnExit = () => groupAlive(pid) && process.kill(-pid, 'SIGKILL');
  process.once('exit', killOnExit);

  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout });
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error('world did not get ready in time')), opts.timeoutMs ?? 60_000);
      void exited.then(() => fail(new Error(`world exited before ready:\n${stderr}`)));
      lines.on('line', (line) => {
        const kv = parseExport(line);
        if (kv) env[kv[0]] = kv[1];
        if (line === 'ready') {
          clearTimeout(timer);
          ready();
        }
      });
    });
  } catch (err) {
    killOnExit();
    throw err;
  }

  const dir = env.WORLD_DIR ?? '';
  const urls: Partial<Record<Service, string>> = {};
  for (const [service, name] of Object.entries(URL_VARS)) if (env[name]) urls[service as Service] = env[name];
  const base = (service: Service): string => {
    const url = urls[service];
    if (!url) throw new Error(`the world has no ${service} service`);
    return url;
  };

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
    const timer = setTimeout(() => groupAlive(pid) && process.kill(-pid, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    process.removeListener('exit', killOnExit);
    if (!opts.keepDir && !process.env.WORLD_KEEP && dir) await rm(dir, { recursive: true, force: true });
  };

  return {
    env,
    dir,
    urls,
    pid,
    exited,
    scenario: async (claims = {}, preset) => ((await call(`${base('oidc')}/_world/scenarios`, 'POST', { claims, preset })) as { token: string }).token,
    idToken: async (audience, requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) => {
      const res = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`, {
        headers: { authorization: `bearer ${requestToken}` },
      });
      if (!res.ok) throw new Error(`ID token request → ${res.status} ${await res.text()}`);
      return ((await res.json()) as { value: string }).value;
    },
    fault: async (service, fault) => void (await call(`${base(service)}/_world/faults`, 'POST', fault)),
    clearFaults: async (service) => void (await call(`${base(service)}/_world/faults`, 'DELETE')),
    latency: async (service, ms) => void (await call(`${base(service)}/_world/latency`, 'POST', { ms })),
    stats: async (service) => (await call(`${base(service)}/_world/stats`, 'GET')) as Stats,
    publishSigningConfig: async (config) => void (await call(`${base('tuf')}/_world/signing-config`, 'POST', config)),
    signingConfig: async () => JSON.parse(await readFile(env.WORLD_TRUST_CONFIG ?? '', 'utf8')).signingConfig,
    resetStats: async (service) => void (await call(`${base(service)}/_world/stats`, 'DELETE')),
    secrets: async () => (await readFile(join(dir, 'issued-secrets.txt'), 'utf8').catch(() => '')).split('\n').filter(Boolean),
    stop: () => (stopped ??= stop()),
  };
}
