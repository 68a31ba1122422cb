// The action's entry: read the inputs once into a typed config, wire the real services, run the
// engine, report. Everything below this file is free of @actions/*.
import './io/heap-growth.ts';
import * as core from '@actions/core';
import { readConfig } from './config/inputs.ts';
import { publish } from './engine/publish.ts';
import type { GitHubContext } from './engine/runtime.ts';
import { createServices } from './services.ts';
import { applyTimeScaleHook } from './http/retry.ts';
import { batchStdout } from './io/batched-stdout.ts';
import { optimizeLess } from './io/optimizing-compilers.ts';
import { actionsRuntime } from './actions-runtime.ts';

batchStdout();
// V8's optimizing compilers cost more memory than they save time here (src/io/optimizing-compilers.ts).
optimizeLess();

// Every secret of the run, with its parts: whatever leaves the process is scrubbed of them.
let verbose = false;
const { runtime, fail: failed } = actionsRuntime(() => verbose);

process.on('unhandledRejection', (reason) => {
  failed(`Unexpected failure: ${reason instanceof Error ? reason.message : String(reason)}`);
});

async function main(): Promise<void> {
  const env = process.env;
  const timeScaleWarning = applyTimeScaleHook(env);
  if (timeScaleWarning) core.warning(timeScaleWarning);
  // The password and the runner's OIDC bearer are secrets from the moment they are read: an index or
  // a proxy may quote them back, and the summary and outputs must not carry them.
  if (env['INPUT_PASSWORD']) runtime.mask(env['INPUT_PASSWORD']);
  if (env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']) runtime.mask(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
  const { config, notices, errors } = readConfig(env);
  // What is sent is the trimmed value: mask that too, not only what the runner passed in.
  if (config?.password) runtime.mask(config.password);
  for (const n of notices) runtime.log[n.level](n.message, n.title);
  if (!config || errors.length > 0) {
    failed(errors.join('\n'));
    return;
  }
  verbose = config.verbose;
  const github: GitHubContext = {
    repository: env['GITHUB_REPOSITORY'],
    workflowRef: env['GITHUB_WORKFLOW_REF'],
    eventName: env['GITHUB_EVENT_NAME'],
    eventPath: env['GITHUB_EVENT_PATH'],
    workspace: env['GITHUB_WORKSPACE'] || process.cwd(),
  };
  const services = createServices(env, runtime, { uploadConcurrency: config.uploadConcurrency });
  try {
    // The engine writes the report (log table, summary, outputs) in every ending.
    const result = await publish(config, github, runtime, services);
    // Not setFailed: the report printed the failure once, with its full text; setFailed would print it again.
    if (result.failure) process.exitCode = 1;
  } finally {
    await services.close();
  }
}

main().catch((error: unknown) => failed(error instanceof Error ? error.message : String(error)));
