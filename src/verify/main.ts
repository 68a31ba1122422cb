// `verify` from a terminal: parse the command line, run, exit 0 (all good), 1 (a file failed) or 2
// (a usage or input error). The table goes to stdout, notes to stderr, so `--json` output stays clean.
import { appendFile } from 'node:fs/promises';
import { inertLines } from '../report/log-line.ts';
import { parseVerifyArgs, VERIFY_USAGE, VerifyUsageError } from './args.ts';
import { runVerify } from './command.ts';
import { LockFileError } from './pylock.ts';
import { RequirementError } from './requirements.ts';

export async function verifyMain(argv: string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let req: ReturnType<typeof parseVerifyArgs>;
  try {
    req = parseVerifyArgs(argv);
  } catch (err) {
    if (!(err instanceof VerifyUsageError)) throw err;
    console.error(inertLines(`error: ${err.message} See \`node dist/cli.js verify --help\`.`));
    return 2;
  }
  if (!req) {
    console.log(VERIFY_USAGE);
    return 0;
  }
  const summaryFile = env['GITHUB_STEP_SUMMARY'];
  try {
    const result = await runVerify(req, env, {
      // Lines from the lock and the index: none may act as a workflow command where a runner runs the CLI.
      out: (text) => console.log(inertLines(text)),
      note: (text) => console.error(inertLines(text)),
      ...(summaryFile ? { summary: (md: string) => appendFile(summaryFile, md) } : {}),
    });
    return result.failed ? 1 : 0;
  } catch (err) {
    if (err instanceof LockFileError || err instanceof RequirementError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      // The message quotes the lock or requirements file: its lines are data, never commands.
      console.error(inertLines(`error: ${(err as Error).message}`));
      return 2;
    }
    throw err;
  }
}
