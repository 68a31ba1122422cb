// For the consumer side's suites and bench: publish projects into the world with the built action
// (Trusted Publishing + attestations, as a workflow does), lock them with a real locker (pip lock,
// PEP 751), and run `node dist/cli.js verify` against the stand-in's simple index and Integrity API.
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildSdist, buildWheel } from '../fixtures/dists/build.ts';
import { pypiControl } from './pypi.ts';
import { runAction, type ActionRun } from './run-action.ts';
import { scratchDir } from './scratch.ts';
import { call, type World } from './world.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');
const PIP = join(ROOT, '.venv/bin/pip');
const UV = join(ROOT, '.venv/bin/uv');

export interface Release {
  name: string;
  version: string;
  /** also an sdist beside the wheel (default true) */
  sdist?: boolean;
  /** Install requirements of the wheel (Requires-Dist), so one pin locks many. */
  requires?: string[];
}

export interface PublishGroup {
  releases: Release[];
  /** publishing repository (default octo-org/sampleproject), registered as each project's publisher */
  repository?: string;
  /** false: upload without attestations (a file with no provenance) */
  attestations?: boolean;
}

/** Registers the group's publisher for each project and publishes all its dists in one action run. */
export async function publishGroup(world: World, group: PublishGroup): Promise<ActionRun> {
  const pypi = pypiControl(world);
  const repository = group.repository ?? 'octo-org/sampleproject';
  // The stand-in creates the project with its first publisher; a later group adds a second one.
  for (const name of new Set(group.releases.map((r) => r.name))) {
    await call(`${pypi.base}/_world/publishers`, 'POST', { project: name, repository, repository_owner_id: '1001', workflow_filename: 'release.yml' });
  }
  const workspace = await scratchDir('verify-ws-');
  const dist = join(workspace, 'dist');
  await mkdir(dist, { recursive: true });
  for (const r of group.releases) {
    const metadata: Record<string, string[]> = r.requires?.length ? { 'Requires-Dist': r.requires } : {};
    await buildWheel(dist, { name: r.name, version: r.version, metadata });
    if (r.sdist !== false) await buildSdist(dist, { name: r.name, version: r.version, metadata });
  }
  const token = repository === 'octo-org/sampleproject' ? undefined : await world.scenario({ repository });
  const run = await runAction({
    cwd: workspace,
    inputs: { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist', ...(group.attestations === false ? { attestations: 'false' } : {}) },
    env: {
      ...world.env,
      ...(token
        ? {
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: token,
            GITHUB_REPOSITORY: repository,
            GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/release.yml@refs/tags/v1.0.0`,
          }
        : {}),
    },
  });
  if (run.code !== 0) throw new Error(`publishing ${group.releases.map((r) => `${r.name}==${r.version}`).join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run;
}

/** `pip lock` (PEP 751) of `requirements` from the world's index; returns the lock file's path. */
export async function pipLock(world: World, requirements: string[], dir?: string): Promise<string> {
  const out = join(dir ?? (await scratchDir('verify-lock-')), 'pylock.toml');
  const simple = `${world.env['WORLD_PYPI_URL']}/simple/`;
  await promisify(execFile)(PIP, ['lock', '--quiet', '--no-cache-dir', '--index-url', simple, '--output', out, ...requirements], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    maxBuffer: 16 << 20,
  });
  return out;
}

export interface VerifyCliRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
}

/** The world's Sigstore trust, in whichever variables it exports (a trust config file, or a TUF mirror). */
export function trustEnv(world: World, cacheDir: string): Record<string, string> {
  const names = ['PYPI_PUBLISH_TRUST_CONFIG', 'PYPI_PUBLISH_SIGSTORE_TUF_URL', 'PYPI_PUBLISH_SIGSTORE_TUF_ROOT'];
  const env: Record<string, string> = { RUNNER_TEMP: cacheDir };
  for (const name of names) if (world.env[name]) env[name] = world.env[name];
  return env;
}

/** Runs `node dist/cli.js verify …` with the world's trust root. */
export async function verifyCli(world: World, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<VerifyCliRun> {
  const dir = await scratchDir('verify-run-');
  const summaryFile = join(dir, 'summary.md');
  await writeFile(summaryFile, '');
  const child = spawn(process.execPath, [CLI, 'verify', ...args], {
    cwd: opts.cwd ?? dir,
    env: { PATH: process.env['PATH'] ?? '', ...trustEnv(world, dir), GITHUB_STEP_SUMMARY: summaryFile, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? -1)));
  return { code, stdout, stderr, summary: await readFile(summaryFile, 'utf8') };
}

/**
 * `uv lock` + `uv export --format pylock.toml` of a project that depends on `requirements`, resolved
 * from the world's index only; returns the lock file's path. uv records each package's `index`.
 */
export async function uvExport(world: World, requirements: string[], dir?: string): Promise<string> {
  const project = dir ?? (await scratchDir('verify-uv-'));
  const deps = requirements.map((r) => JSON.stringify(r)).join(', ');
  await writeFile(
    join(project, 'pyproject.toml'),
    `[project]\nname = "consumer-app"\nversion = "0.1.0"\nrequires-python = ">=3.9"\ndependencies = [${deps}]\n`,
  );
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: project,
    UV_CACHE_DIR: join(project, '.uv-cache'),
    UV_NO_CONFIG: '1',
    UV_DEFAULT_INDEX: `${world.env['WORLD_PYPI_URL']}/simple/`,
    UV_PYTHON_DOWNLOADS: 'never',
    UV_NO_PROGRESS: '1',
  };
  const uv = (args: string[]) => promisify(execFile)(UV, args, { cwd: project, env, maxBuffer: 16 << 20 });
  await uv(['lock', '--quiet']);
  await uv(['export', '--quiet', '--format', 'pylock.toml', '--no-emit-project', '--output-file', 'pylock.toml']);
  return join(project, 'pylock.toml');
}
