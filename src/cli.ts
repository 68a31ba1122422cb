// The engine from a terminal, for rehearsing a release locally:
//   [INPUT_PASSWORD=…] node dist/cli.js --repository-url URL [--packages-dir DIR] [--user U] [--no-attestations] …
// Flags are the action's input names, except the password: it comes only from INPUT_PASSWORD in the
// environment, as the runner passes it, because a command line is readable by every process on the
// machine (ps, /proc/PID/cmdline) and stays in shell history. The OIDC and Sigstore set-up come from
// the environment as in a workflow (ACTIONS_ID_TOKEN_REQUEST_*, PYPI_PUBLISH_TRUST_CONFIG).
import { appendFile } from 'node:fs/promises';
import { readConfig } from './config/inputs.ts';
import { publish } from './engine/publish.ts';
import type { Runtime } from './engine/runtime.ts';
import { reportResult } from './report/finish.ts';
import { createServices, verifierWorkerBeside } from './services.ts';

/** A command line the CLI refuses; main() exits 2 with its message, as for an invalid input. */
class UsageError extends Error {}

const PASSWORD_FLAG_REFUSED =
  '--password is not accepted: a command line is readable by every process on this machine (ps, /proc/PID/cmdline) ' +
  'and stays in shell history. Remove it and set INPUT_PASSWORD in the environment instead, ' +
  'e.g. `read -rs INPUT_PASSWORD && export INPUT_PASSWORD`.';

function parseArgs(argv: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--(no-)?([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    // Whatever follows "=" may be a secret typed under a misspelt flag: never echo it.
    if (!m) throw new UsageError(`unexpected argument ${arg.replace(/=.*$/s, '=…')}; flags are the action's inputs, e.g. --packages-dir dist`);
    const [, negated, name, inline] = m;
    // Checked before the value is read, so it is never echoed or used.
    if (name === 'password') throw new UsageError(PASSWORD_FLAG_REFUSED);
    const value = negated ? 'false' : (inline ?? (argv[i + 1]?.startsWith('--') || argv[i + 1] === undefined ? 'true' : argv[++i]));
    inputs[`INPUT_${(name as string).toUpperCase()}`] = value as string;
  }
  return inputs;
}

function consoleRuntime(verbose: boolean, summaryFile?: string): Runtime {
  const secrets = new Set<string>();
  const scrub = (m: string) => [...secrets].reduce((text, s) => text.split(s).join('***'), m);
  const say = (prefix: string) => (m: string, title?: string) => console.log(scrub(`${prefix}${title ? `${title}: ` : ''}${m}`));
  return {
    log: { info: say(''), debug: verbose ? say('  ') : () => {}, notice: say('notice: '), warning: say('warning: '), error: say('error: ') },
    mask: (s) => {
      if (s) secrets.add(s);
    },
    appendSummary: async (md) => {
      if (summaryFile) await appendFile(summaryFile, scrub(md));
    },
    setOutput: (name, value) => {
      if (verbose) console.log(scrub(`output ${name}=${value}`));
    },
  };
}

async function main(): Promise<number> {
  // `verify` checks others' releases; it shares no flag with publishing and loads only its own modules.
  if (process.argv[2] === 'verify') {
    const { verifyMain } = await import('./verify/main.ts');
    return verifyMain(process.argv.slice(3), process.env);
  }
  let inputs: Record<string, string>;
  try {
    inputs = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`error: ${err.message}`);
    return 2;
  }
  if (process.env['INPUT_PASSWORD']) inputs['INPUT_PASSWORD'] = process.env['INPUT_PASSWORD'];
  const { config, notices, errors } = readConfig(inputs);
  const runtime = consoleRuntime(config?.verbose ?? true, process.env['GITHUB_STEP_SUMMARY']);
  if (config?.password) runtime.mask(config.password);
  for (const n of notices) runtime.log[n.level](n.message, n.title);
  if (!config) {
    for (const e of errors) runtime.log.error(e);
    return 2;
  }
  const services = createServices(process.env, runtime, {
    uploadConcurrency: config.uploadConcurrency,
    verifierWorker: verifierWorkerBeside(import.meta.url),
  });
  try {
    const result = await publish(
      config,
      {
        repository: process.env['GITHUB_REPOSITORY'],
        workflowRef: process.env['GITHUB_WORKFLOW_REF'],
        eventName: process.env['GITHUB_EVENT_NAME'],
        eventPath: process.env['GITHUB_EVENT_PATH'],
        workspace: process.cwd(),
      },
      runtime,
      services,
    );
    await reportResult(result, runtime, config.repositoryUrl.href);
    if (result.failure) runtime.log.error(result.failure.message);
    return result.failure ? 1 : 0;
  } finally {
    await services.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
