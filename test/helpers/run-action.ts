// Runs the built action (dist/index.js) the way the runner does: a Node 24 process with INPUT_*,
// GITHUB_* and ACTIONS_ID_TOKEN_REQUEST_* in its environment, files for outputs and the summary.
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { scratchDir } from './scratch.ts';

export const ACTION = resolve(import.meta.dirname, '../../dist/index.js');
/** The companion action (build-provenance/action.yml) as bundled. */
export const BUILD_PROVENANCE_ACTION = resolve(import.meta.dirname, '../../dist/build-provenance.js');

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  results: Array<{
    filename: string;
    status: string;
    reason: string | null;
    sha256: string | null;
    index_sha256?: string | null;
    bundle: string | null;
    attestation: string | null;
    url: string | null;
    provenance_url: string | null;
  }>;
  /** everything the run printed or wrote (log, summary, outputs, the sidecars it left), for secret scans */
  everything: string;
}

export interface RunOptions {
  inputs: Record<string, string>;
  env?: Record<string, string | undefined>;
  cwd: string;
  event?: unknown;
  /** the bundled entry to run (default: the publish action, dist/index.js) */
  entry?: string;
}

export interface RunnerFiles {
  dir: string;
  output: string;
  summary: string;
  event: string;
}

/** The environment and files a runner gives a job step in `workspace` (outputs, summary, event). */
export async function runnerEnv(workspace: string, event: unknown = {}): Promise<{ env: Record<string, string>; files: RunnerFiles }> {
  const dir = await scratchDir('runner-');
  const files = { dir, output: join(dir, 'output'), summary: join(dir, 'summary'), event: join(dir, 'event.json') };
  await Promise.all([writeFile(files.output, ''), writeFile(files.summary, ''), writeFile(files.event, JSON.stringify(event))]);
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo-org/sampleproject',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_WORKFLOW_REF: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: dir,
  };
  return { env, files };
}

export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const { env, files } = await runnerEnv(opts.cwd, opts.event);
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(opts.inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, [opts.entry ?? ACTION], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? -1)));
  const [outputText, summary] = await Promise.all([readFile(files.output, 'utf8'), readFile(files.summary, 'utf8')]);
  const outputs = parseOutputs(outputText);
  return {
    code,
    stdout,
    stderr,
    summary,
    outputs,
    results: outputs['results'] ? JSON.parse(outputs['results']) : [],
    everything: [stdout, stderr, summary, outputText, ...(await sidecarTexts(opts))].join('\n'),
  };
}

/** The bundles and attestations the run left beside the dists (packages-dir, default dist/). */
async function sidecarTexts(opts: RunOptions): Promise<string[]> {
  const dir = resolve(opts.cwd, opts.inputs['packages-dir'] ?? opts.inputs['packages_dir'] ?? 'dist');
  const names = await readdir(dir).catch(() => [] as string[]);
  const sidecars = names.filter((n) => n.endsWith('.sigstore.json') || n.endsWith('.publish.attestation'));
  return Promise.all(sidecars.map((n) => readFile(join(dir, n), 'utf8').catch(() => '')));
}

/** The runner's GITHUB_OUTPUT format: `name<<DELIM\nvalue\nDELIM`. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}
