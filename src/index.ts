// The action's entry: read the inputs once into a typed config, wire the real services, run the
// engine, report. Everything below this file is free of @actions/*.
import * as core from '@actions/core';
import { readConfig } from './config/inputs.ts';
import { publish } from './engine/publish.ts';
import type { GitHubContext, Runtime } from './engine/runtime.ts';
import { reportResult } from './report/finish.ts';
import { createServices, verifierWorkerBeside } from './services.ts';
import { parseTimeScale, setTimeScale } from './http/retry.ts';
import { batchStdout } from './io/batched-stdout.ts';

batchStdout();

process.on('unhandledRejection', (reason) => {
  core.setFailed(`Unexpected failure: ${reason instanceof Error ? reason.message : String(reason)}`);
});

function actionsRuntime(verbose: boolean): Runtime {
  const masked = new Set<string>();
  // The runner does not nest groups: one opened while another is open would end it unannounced.
  let grouped = false;
  return {
    log: {
      info: (m) => core.info(m),
      // `verbose` shows request-level detail in the plain log; it never includes a header or secret.
      debug: (m) => (verbose ? core.info(m) : core.debug(m)),
      // No properties without a title: `{ title: undefined }` would print `::error ::`.
      notice: (m, title) => core.notice(m, title ? { title } : {}),
      warning: (m, title) => core.warning(m, title ? { title } : {}),
      error: (m, title) => core.error(m, title ? { title } : {}),
      startGroup: (title) => {
        if (grouped) core.endGroup();
        core.startGroup(title);
        grouped = true;
      },
      endGroup: () => {
        if (grouped) core.endGroup();
        grouped = false;
      },
    },
    mask: (secret) => {
      // One add-mask per secret: the OIDC client and the exchange both report the same JWT.
      if (!secret || masked.has(secret)) return;
      masked.add(secret);
      core.setSecret(secret);
    },
    appendSummary: async (markdown) => {
      if (!process.env['GITHUB_STEP_SUMMARY']) return;
      await core.summary.addRaw(markdown).write();
      core.summary.emptyBuffer();
    },
    setOutput: (name, value) => core.setOutput(name, value),
  };
}

async function main(): Promise<void> {
  const env = process.env;
  // Test hook (docs/architecture.md): faster retries and timeouts for the fault-injection suite.
  const scale = parseTimeScale(env['PYPI_PUBLISH_TIME_SCALE']);
  if (scale !== undefined && scale !== 1) {
    setTimeScale(scale);
    core.warning(`PYPI_PUBLISH_TIME_SCALE=${scale}: retry delays and timeouts are scaled (a test hook; never set it in a workflow)`);
  }
  // The password is a secret from the moment it is read.
  if (env['INPUT_PASSWORD']) core.setSecret(env['INPUT_PASSWORD']);
  const { config, notices, errors } = readConfig(env);
  // What is sent is the trimmed value: mask that too, not only what the runner passed in.
  if (config?.password) core.setSecret(config.password);
  for (const n of notices) core[n.level](n.message, { title: n.title });
  if (!config || errors.length > 0) {
    core.setFailed(errors.join('\n'));
    return;
  }
  const github: GitHubContext = {
    repository: env['GITHUB_REPOSITORY'],
    workflowRef: env['GITHUB_WORKFLOW_REF'],
    eventName: env['GITHUB_EVENT_NAME'],
    eventPath: env['GITHUB_EVENT_PATH'],
    workspace: env['GITHUB_WORKSPACE'] || process.cwd(),
  };
  const runtime = actionsRuntime(config.verbose);
  const services = createServices(env, runtime, {
    uploadConcurrency: config.uploadConcurrency,
    verifierWorker: verifierWorkerBeside(import.meta.url),
  });
  try {
    const result = await publish(config, github, runtime, services);
    await reportResult(result, runtime, { repositoryUrl: config.repositoryUrl.href, mode: config.mode, workspace: github.workspace });
    // Not setFailed: the report printed the failure once, with its full text; setFailed would print it again.
    if (result.failure) process.exitCode = 1;
  } finally {
    await services.close();
  }
}

main().catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)));
