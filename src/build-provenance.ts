// The companion action's entry (build-provenance/action.yml): read the inputs once, wire the real
// services, attest the build of every dist, set the outputs. Everything below this file is free of
// @actions/*.
import * as core from '@actions/core';
import { actionsRuntime } from './actions-runtime.ts';
import { batchStdout } from './io/batched-stdout.ts';
import { applyTimeScaleHook } from './http/retry.ts';
import { attestBuild } from './provenance/attest-build.ts';
import { readBuildProvenanceConfig } from './provenance/config.ts';
import { buildProvenanceOutputs } from './provenance/outputs.ts';
import { createBuildProvenanceServices } from './provenance/services.ts';

batchStdout();

// Scrubbed, inert and bounded like the publish step's (src/actions-runtime.ts); a failure's message
// too, as a service's error may quote the token back.
const { runtime, fail } = actionsRuntime();

async function main(): Promise<void> {
  const env = process.env;
  const timeScaleWarning = applyTimeScaleHook(env);
  if (timeScaleWarning) core.warning(timeScaleWarning);
  const { config, errors } = readBuildProvenanceConfig(env);
  if (!config) return fail(errors.join('\n'));
  const { log, mask } = runtime;
  if (env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']) mask(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
  const services = createBuildProvenanceServices(env, log, mask);
  try {
    const written = await attestBuild(
      config,
      { workspace: env['GITHUB_WORKSPACE'] || process.cwd(), serverURL: env['GITHUB_SERVER_URL'] || 'https://github.com', log, mask },
      services,
    );
    for (const [name, value] of Object.entries(buildProvenanceOutputs(written))) runtime.setOutput(name, value);
  } finally {
    await services.close();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
