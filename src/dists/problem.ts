// One constructor for Problems so every finding carries the file, the message and the fix.

import type { Problem, Severity } from './types.ts';

export function problem(severity: Severity, code: string, file: string, message: string, fix: string): Problem {
  return { severity, code, file, message, fix };
}

export const error = (code: string, file: string, message: string, fix: string): Problem =>
  problem('error', code, file, message, fix);
