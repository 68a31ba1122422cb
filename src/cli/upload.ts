// `upload`: the action's whole run from a terminal. The flags become the INPUT_* values the runner
// would pass and go through the same readConfig; the password comes only from INPUT_PASSWORD.
import { resolve } from 'node:path';
import { readConfig } from '../config/inputs.ts';
import { publish } from '../engine/publish.ts';
import { createServices } from '../services.ts';
import { UsageError } from './args.ts';
import { isGitLabJob } from '../gitlab/environment.ts';
import { gitLabRunPublisher } from '../gitlab/publisher.ts';
import { rawConsoleRuntime } from './console-runtime.ts';
import { guardRuntime } from '../report/guarded-runtime.ts';
import { SecretScrubber } from '../report/scrub.ts';
import { GITLAB_REPORT_DIR, withReportFiles } from './report-files.ts';

export interface UploadOptions {
  flags: Record<string, string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const MISSING_REPOSITORY_URL =
  '`upload` needs --repository-url: the CLI has no default index, so that a rehearsal never publishes to PyPI by accident. ' +
  'Give https://upload.pypi.org/legacy/ to publish to PyPI, https://test.pypi.org/legacy/ for TestPyPI.';

/** Resolves with the exit status: 0 published, 1 not (all) published, 2 an input error. */
export async function runUpload({ flags, env, cwd }: UploadOptions): Promise<number> {
  if (flags['repository-url'] === undefined) throw new UsageError(MISSING_REPOSITORY_URL);
  const inputs: Record<string, string> = {};
  // Where the report files go is the CLI's own flag, not an action input.
  const { 'report-dir': reportDir, ...actionFlags } = flags;
  for (const [name, value] of Object.entries(actionFlags)) inputs[`INPUT_${name.toUpperCase()}`] = value;
  if (env['INPUT_PASSWORD']) inputs['INPUT_PASSWORD'] = env['INPUT_PASSWORD'];
  const { config, notices, errors } = readConfig(inputs);
  // GitLab has no job summary: a GitLab job gets the report as files unless told where else.
  const reportTo = reportDir ?? (isGitLabJob(env) ? GITLAB_REPORT_DIR : undefined);
  const terminal = rawConsoleRuntime(config?.verbose ?? true, env['GITHUB_STEP_SUMMARY']);
  const reports = reportTo === undefined ? undefined : withReportFiles(terminal, resolve(cwd, reportTo));
  // The guard goes around the report files too: they are scrubbed and inert like the rest, and held
  // to GitHub's limits only on a GitHub runner, whose summary and outputs have them.
  const runtime = guardRuntime(reports?.runtime ?? terminal, new SecretScrubber(), { githubLimits: env['GITHUB_ACTIONS'] === 'true' });
  // The password and the runner's OIDC bearer, as given and as used, are scrubbed from all that is shown.
  for (const secret of [inputs['INPUT_PASSWORD'], config?.password, env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']]) if (secret) runtime.mask(secret);
  for (const n of notices) runtime.log[n.level](n.message, n.title);
  if (!config) {
    for (const e of errors) runtime.log.error(e);
    return 2;
  }
  const services = createServices(env, runtime, { uploadConcurrency: config.uploadConcurrency });
  try {
    const github = {
      repository: env['GITHUB_REPOSITORY'],
      workflowRef: env['GITHUB_WORKFLOW_REF'],
      ...(isGitLabJob(env) ? { publisher: gitLabRunPublisher(env) } : {}),
      eventName: env['GITHUB_EVENT_NAME'],
      eventPath: env['GITHUB_EVENT_PATH'],
      workspace: cwd,
    };
    // The engine writes the report (log, summary, outputs) in every ending.
    const result = await publish(config, github, runtime, services);
    if (reports) runtime.log.info(`Report written: ${(await reports.write()).join(', ')}`);
    return result.failure ? 1 : 0;
  } finally {
    await services.close();
  }
}
