// The CLI's body (dist/cli-main.js), loaded by the entry dist/cli.js once it has checked the Node
// version. Usage: src/cli/help.ts.
import '../io/heap-growth.ts';
import { CHECK_FLAGS, parseFlags, splitCommand, UPLOAD_FLAGS, UsageError } from './args.ts';
import { runCheck } from './check.ts';
import { USAGE } from './help.ts';
import { optimizeLess } from '../io/optimizing-compilers.ts';
import { runUpload } from './upload.ts';
import { inertLines } from '../report/log-line.ts';

declare const PACKAGE_VERSION: string | undefined;

const wantsHelp = (args: string[]) => args.some((a) => a === '--help' || a === '-h');

async function run(argv: string[]): Promise<number> {
  const { command, rest } = splitCommand(argv);
  // `verify` checks others' releases: its own flags, its own --help, and only its own modules loaded.
  if (command === 'verify') {
    const { verifyMain } = await import('../verify/main.ts');
    return verifyMain(rest, process.env);
  }
  if (command === 'help' || wantsHelp(rest)) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'version') {
    // Set by the build; a run from source has none.
    console.log(typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'unknown (not built)');
    return 0;
  }
  // As the action runs them (src/io/optimizing-compilers.ts); `verify` keeps V8's defaults.
  optimizeLess();
  if (command === 'check') {
    const { flags, positional } = parseFlags(rest, CHECK_FLAGS, 'check');
    return runCheck({
      paths: positional,
      cwd: process.cwd(),
      verifyMetadata: flags['verify-metadata'] !== 'false',
      json: flags['json'] === 'true',
      write: (t) => process.stdout.write(t),
    });
  }
  const { flags } = parseFlags(rest, UPLOAD_FLAGS, 'upload');
  return runUpload({ flags, env: process.env, cwd: process.cwd() });
}

/** Resolves with the exit status: 2 for a usage error, 1 for a failure the run did not report itself. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(inertLines(`error: ${error.message}`));
      return 2;
    }
    // Data never becomes a command: a message may quote a file or a server.
    console.error(inertLines(error instanceof Error ? error.message : String(error)));
    return 1;
  }
}

// An exit, not a natural end: a Sigstore load the run started and did not need must not hold the process.
process.exit(await main(process.argv.slice(2)));
