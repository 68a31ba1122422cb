// A GitLab job for the CLI: the variables a GitLab runner sets (GITLAB_CI, CI_*), the ID tokens its
// `id_tokens:` entries would hold, from the world's GitLab issuer, and `node dist/cli.js` run in it.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Overrides } from '../world/oidc/claims.ts';
import { call, type World } from './world.ts';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

/** ID tokens of one job by audience (POST /_world/gitlab/id_tokens). */
export async function gitLabIdTokens(world: World, audiences: string[], claims: Overrides = {}): Promise<Record<string, string>> {
  return jobIdTokens(world.env['WORLD_GITLAB_ID_TOKENS_URL']!, audiences, claims);
}

/** A CircleCI job's ID tokens by audience (POST /_world/circleci/id_tokens). */
export function circleCIIdTokens(world: World, audiences: string[], claims: Overrides = {}): Promise<Record<string, string>> {
  return jobIdTokens(world.env['WORLD_CIRCLECI_ID_TOKENS_URL']!, audiences, claims);
}

async function jobIdTokens(url: string, audiences: string[], claims: Overrides): Promise<Record<string, string>> {
  return ((await call(url, 'POST', { audiences, claims })) as { tokens: Record<string, string> }).tokens;
}

/**
 * The environment of a GitLab job in `projectDir` for the world's default project: the world's
 * Sigstore and index settings, none of GitHub's token endpoint (a GitLab job has none), and
 * `tokens` as `<AUD>_ID_TOKEN` variables.
 */
export function gitLabJobEnv(world: World, projectDir: string, tokens: Record<string, string | undefined>): Record<string, string> {
  const { ACTIONS_ID_TOKEN_REQUEST_URL: _url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: _token, ...worldEnv } = world.env;
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? projectDir,
    // The TUF cache a job without RUNNER_TEMP keeps in the user's cache directory: the project's, here.
    XDG_CACHE_HOME: join(projectDir, '.cache'),
    ...worldEnv,
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: 'https://gitlab.com',
    CI_PROJECT_PATH: 'octo-group/sampleproject',
    CI_PROJECT_NAMESPACE: 'octo-group',
    CI_PROJECT_DIR: projectDir,
    CI_CONFIG_PATH: '.gitlab-ci.yml',
    CI_COMMIT_TAG: 'v1.0.0',
    CI_COMMIT_REF_NAME: 'v1.0.0',
    CI_COMMIT_SHA: '7d2c4e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
    CI_PIPELINE_SOURCE: 'push',
    CI_JOB_ID: '302',
    CI_JOB_NAME: 'publish',
  };
  for (const [aud, token] of Object.entries(tokens)) if (token !== undefined) env[`${aud.toUpperCase()}_ID_TOKEN`] = token;
  return env;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** report.md, results.json and publish.env from the report directory ('' when absent) */
  report: { markdown: string; results: string; dotenv: string };
  everything: string;
}

/**
 * Runs `node dist/cli.js ARGS` in a job; `command` runs something else instead (npx of the packed
 * package), with ARGS after it.
 */
export async function runCli(args: string[], cwd: string, env: Record<string, string>, command: string[] = [process.execPath, CLI]): Promise<CliRun> {
  const reportDir = join(cwd, 'pypi-publish-report');
  const [file = process.execPath, ...before] = command;
  const child = spawn(file, [...before, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? -1)));
  const read = (name: string) => readFile(join(reportDir, name), 'utf8').catch(() => '');
  const [markdown, results, dotenv] = await Promise.all([read('report.md'), read('results.json'), read('publish.env')]);
  return { code, stdout, stderr, report: { markdown, results, dotenv }, everything: [stdout, stderr, markdown, results, dotenv].join('\n') };
}
