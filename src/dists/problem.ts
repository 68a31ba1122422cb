// One constructor for Problems so every finding carries the file, the message and the fix.

import type { Problem, Severity } from './types.ts';

export function problem(severity: Severity, code: string, file: string, message: string, fix: string): Problem {
  return { severity, code, file, message, fix };
}

export const error = (code: string, file: string, message: string, fix: string): Problem => problem('error', code, file, message, fix);

/** A server error at PyPI (a bare 500, which clients retry): `cause` raises what warehouse does not catch. */
export function serverError(code: string, file: string, cause: string, rank: number, fix: string): Problem {
  const kind = file.endsWith('.whl') ? 'wheel' : 'sdist';
  return { ...error(code, file, `PyPI fails on this ${kind} with a server error (500): ${cause}, and warehouse does not catch that.`, fix), rank };
}

/** The most problems reported for one file: past this, a file is only hostile or broken beyond repair. */
export const MAX_PROBLEMS_PER_FILE = 50;

/**
 * Keeps at most `max` problems per file (in their order) and says how many were cut, so a dist with
 * 130,000 bad fields gives a report of bounded size. The note is an error when an error was cut.
 */
export function capPerFile(problems: Problem[], max = MAX_PROBLEMS_PER_FILE): Problem[] {
  const kept: Problem[] = [];
  const cut = new Map<string, { count: number; severity: Severity }>();
  const seen = new Map<string, number>();
  for (const p of problems) {
    const n = (seen.get(p.file) ?? 0) + 1;
    seen.set(p.file, n);
    if (n <= max) {
      kept.push(p);
      continue;
    }
    const c = cut.get(p.file) ?? { count: 0, severity: 'warning' };
    c.count++;
    if (p.severity === 'error') c.severity = 'error';
    cut.set(p.file, c);
  }
  for (const [file, c] of cut) {
    kept.push(
      problem(
        c.severity,
        'problems-cut',
        file,
        `${c.count} more problem(s) with this file are not shown (at most ${max} are reported per file).`,
        'Fix the problems shown and run again to see the rest.',
      ),
    );
  }
  return kept;
}
