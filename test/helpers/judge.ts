// The PyPI stand-in's verdicts (warehouse's checks of an upload that need no index state) on many
// files in one Python process: test/differential/judge.py, whose docstring says what it answers.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');

/** One file to judge, and the form sent with it: the action's, 'twine' (what twine sends), or null (a file nobody can read). */
export interface JudgeCase {
  path: string;
  filename: string;
  form: unknown;
}

/** What the stand-in answers for each case, in order. */
export interface StandInVerdict {
  accepted: boolean;
  message: string | null;
  twine_form_equal?: boolean | null;
  /** what warehouse's checks raised and warehouse does not catch: PyPI answers a server error */
  server_error?: string;
}

export function standInVerdicts<T = StandInVerdict>(cases: JudgeCase[]): T[] {
  return JSON.parse(
    // -W ignore: zipfile's warnings (overlapped entries) are not answers. PYTHONHASHSEED=0: packaging
    // lists some choices from a set, whose order otherwise varies per process.
    execFileSync(join(repo, '.venv', 'bin', 'python'), ['-W', 'ignore', join(repo, 'test', 'differential', 'judge.py')], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      env: { ...process.env, PYTHONHASHSEED: '0' },
    }),
  ) as T[];
}
