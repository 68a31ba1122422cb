// `npm run world`: the local world of docs/architecture.md. Starts the GitHub and GitLab OIDC issuers, Fulcio,
// Rekor and the TSA in this process and the Python PyPI stand-in as a child, prints `export KEY=value`
// lines and `ready`, then serves until SIGINT/SIGTERM and leaves no process or port behind.
//
//   node test/world/main.ts [--dir DIR] [--no-pypi] [--stop-with-parent]
//
// --no-pypi skips the PyPI stand-in (suites that only need Sigstore + OIDC start faster without it).
// --stop-with-parent stops the world when its stdin ends: given a pipe from the process that started
// it, the world goes when that process goes, even by a signal or SIGKILL that runs no exit hook of its.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { stopChild } from './child.ts';
import { startServer, type WorldServer } from './faults.ts';
import { setSecretJournal } from './hostile.ts';
import { GITHUB_ISSUER } from './oidc/claims.ts';
import { createCircleCIIssuer } from './oidc/circleci.ts';
import { createGitLabIssuer, GITLAB_ISSUER, GITLAB_JWKS_PATH } from './oidc/gitlab.ts';
import { createIssuer } from './oidc/issuer.ts';
import { startSigstore } from './sigstore/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PYPI_READY_TIMEOUT_MS = 30_000;

interface PyPI {
  url: string;
  child: ChildProcess;
}

// Starts the stand-in and waits for its `listening http://127.0.0.1:PORT` line; its output goes to
// $WORLD_DIR/pypi.log. `spawned` learns of the child at once, so that a stop during start-up takes it too.
async function startPyPI(dir: string, oidcURL: string, spawned: (child: ChildProcess) => void): Promise<PyPI> {
  const child = spawn(
    join(ROOT, '.venv/bin/python'),
    [
      join(ROOT, 'test/world/pypi/server.py'),
      '--port',
      '0',
      '--dir',
      dir,
      '--jwks-url',
      `${oidcURL}/.well-known/jwks`,
      '--issuer',
      GITHUB_ISSUER,
      '--gitlab-jwks-url',
      `${oidcURL}${GITLAB_JWKS_PATH}`,
      '--gitlab-issuer',
      GITLAB_ISSUER,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  spawned(child);
  const log = createWriteStream(join(dir, 'pypi.log'));
  child.stderr.pipe(log);
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolveURL, reject) => {
    const timer = setTimeout(() => reject(new Error(`PyPI stand-in not ready after ${PYPI_READY_TIMEOUT_MS} ms`)), PYPI_READY_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`PyPI stand-in exited (${code}) before listening; see ${dir}/pypi.log`)));
    child.once('error', reject);
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveURL(m[1]);
      }
    });
  }).catch(async (err: unknown) => {
    await stopChild(child);
    throw err;
  });
  return { url, child };
}

// Single-quoted unless plainly safe, so `eval "$(npm run -s world)"` works for any directory name.
function exportLine(key: string, value: string): string {
  return /^[\w@%+=:,./?&-]+$/.test(value) ? `export ${key}=${value}` : `export ${key}='${value.replaceAll("'", `'\\''`)}'`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      'no-pypi': { type: 'boolean', default: false },
      'stop-with-parent': { type: 'boolean', default: false },
    },
  });
  const dir = values.dir ? resolve(values.dir) : await mkdir(join(ROOT, '.world'), { recursive: true }).then(() => mkdtemp(join(ROOT, '.world', 'run-')));
  await mkdir(dir, { recursive: true });

  const servers: WorldServer[] = [];
  let pypi: PyPI | undefined;
  let pypiChild: ChildProcess | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all([...servers.map((s) => s.close()), pypiChild && stopChild(pypiChild)]);
    process.exit(code);
  };
  // A stand-in spawned after stop() began (told to stop while starting) must not outlive the world.
  process.once('exit', () => pypiChild?.kill('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void (stopping || stop(0)));
  if (values['stop-with-parent']) process.stdin.once('end', () => void (stopping || stop(0))).resume();

  try {
    const secrets = join(dir, 'issued-secrets.txt');
    setSecretJournal(secrets);
    const issuer = await createIssuer((secret) => appendFileSync(secrets, `${secret}\n`));
    const gitlab = await createGitLabIssuer((secret) => appendFileSync(secrets, `${secret}\n`));
    const circleci = await createCircleCIIssuer((secret) => appendFileSync(secrets, `${secret}\n`));
    const oidc = await startServer([...issuer.routes(), ...gitlab.routes(), ...circleci.routes()]);
    servers.push(oidc);
    // Fulcio trusts every issuer, as public-good does; the issuer the token names says whose keys to use.
    const verifySigstoreToken = (jwt: string, iss: string) => ([gitlab, circleci].find((i) => i.issues(iss)) ?? issuer).verify(jwt, 'sigstore', iss);
    const sigstore = await startSigstore(dir, oidc.url, verifySigstoreToken);
    servers.push(sigstore.fulcio, sigstore.rekor, sigstore.tsa, sigstore.ctlog, sigstore.tuf);
    if (!values['no-pypi'])
      pypi = await startPyPI(dir, oidc.url, (child) => {
        pypiChild = child;
      });

    const exports: Record<string, string> = {
      WORLD_DIR: dir,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${oidc.url}/token?`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.defaultRequestToken,
      WORLD_OIDC_URL: oidc.url,
      // GitLab ID tokens: POST {audiences, claims?} here (a control route) for a job's PYPI_ID_TOKEN, SIGSTORE_ID_TOKEN.
      WORLD_GITLAB_ID_TOKENS_URL: `${oidc.url}/_world/gitlab/id_tokens`,
      // CircleCI ID tokens, the same way: a job's `circleci run oidc get` (its issuer is Fulcio's, not PyPI's).
      WORLD_CIRCLECI_ID_TOKENS_URL: `${oidc.url}/_world/circleci/id_tokens`,
      WORLD_FULCIO_URL: sigstore.fulcio.url,
      WORLD_REKOR_URL: sigstore.rekor.url,
      WORLD_TSA_URL: sigstore.tsa.url,
      WORLD_CTLOG_URL: sigstore.ctlog.url,
      WORLD_TUF_URL: sigstore.tuf.url,
      WORLD_TRUSTED_ROOT: sigstore.trustedRoot,
      WORLD_TRUST_CONFIG: sigstore.trustConfig,
      // The production trust path, as on a runner, with only the TUF mirror and its initial root
      // pointed at the world: the action reads trusted_root.json and signing_config.v0.2.json from it.
      PYPI_PUBLISH_SIGSTORE_TUF_URL: sigstore.tuf.url,
      PYPI_PUBLISH_SIGSTORE_TUF_ROOT: sigstore.tufRoot,
      ...(pypi ? { WORLD_PYPI_URL: pypi.url, WORLD_PYPI_UPLOAD_URL: `${pypi.url}/legacy/` } : {}),
    };
    const lines = Object.entries(exports).map(([k, v]) => exportLine(k, v));
    process.stdout.write(`${lines.join('\n')}\nready\n`);
  } catch (err) {
    process.stderr.write(`world: ${(err as Error).stack ?? String(err)}\n`);
    await stop(1);
  }
}

await main();
