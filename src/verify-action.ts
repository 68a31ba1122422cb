// The `verify` action's entry (verify/action.yml → dist/verify.js): read its inputs once into the same
// request the CLI builds, run the consumer-side engine, log the table, write the job summary and the
// outputs. The only file of the verify path that uses @actions/*.
import * as core from '@actions/core';
import { actionsRuntime } from './actions-runtime.ts';
import { checkIndexUrl, validate, VerifyUsageError } from './verify/args.ts';
import type { VerifyRequest } from './verify/args.ts';
import { runVerify } from './verify/command.ts';
import { countOutcomes, verdictJSON } from './verify/report.ts';
import { batchStdout } from './io/batched-stdout.ts';

batchStdout();

function lines(name: string): string[] {
  return core
    .getMultilineInput(name)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function readRequest(): VerifyRequest {
  const bool = (name: string) => (core.getInput(name) || 'false').trim().toLowerCase() === 'true';
  const index = core.getInput('index-url').trim();
  const req: VerifyRequest = {
    pins: lines('requirements'),
    requirementFiles: lines('requirements-file'),
    require: bool('require'),
    json: false,
    writeIdentities: bool('write-identities'),
  };
  const optional = { lockFile: core.getInput('lock-file').trim(), repository: core.getInput('repository').trim(), workflow: core.getInput('workflow').trim() };
  for (const [key, value] of Object.entries(optional)) if (value) (req as unknown as Record<string, string>)[key] = value;
  if (index) req.indexUrl = checkIndexUrl(index);
  return validate(req);
}

async function main(): Promise<void> {
  let req: VerifyRequest;
  try {
    req = readRequest();
  } catch (err) {
    if (err instanceof VerifyUsageError) return core.setFailed(err.message.replace(/--([a-z-]+)/g, '$1'));
    throw err;
  }
  // What an index or a lock file says is data: printed inert, the summary and outputs bounded (src/actions-runtime.ts).
  const { runtime } = actionsRuntime();
  const result = await runVerify(req, process.env, {
    out: (text) => runtime.log.info(text),
    note: (text) => runtime.log.info(text),
    summary: (markdown) => runtime.appendSummary(markdown),
  });
  const counts = countOutcomes(result.verdicts);
  runtime.setOutput('results', JSON.stringify(result.verdicts.map(verdictJSON)));
  runtime.setOutput('verified', String(counts.verified));
  runtime.setOutput('failed', String(counts['identity-differs'] + counts.invalid + counts['hash-differs']));
  if (result.failed)
    core.setFailed(
      `provenance verification failed: ${counts['identity-differs']} identity differs, ${counts.invalid} invalid, ${counts['hash-differs']} hash differs${req.require ? `, ${counts['no-provenance']} without provenance` : ''}`,
    );
}

main().catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)));
