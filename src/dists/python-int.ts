// Python's int() of a str, as CPython 3.14 reads it: a sign, decimal digits of any script with single
// underscores between, white space around. The tar reader (pax numbers) and the description's check
// (PEP and RFC roles, directive options) read numbers with it, where PyPI's Python does.

import { PY_DIGIT_CHARS } from './python-classes.ts';

/** The whitespace int(str) strips around a number: Unicode's, but not the separators \x1c-\x1f. */
const INT_SPACE = String.raw`\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
/** What int(str) takes: a sign, then decimal digits of any script with single underscores between. */
const PY_INT = new RegExp(`^[${INT_SPACE}]*([+-]?)([${PY_DIGIT_CHARS}](?:_?[${PY_DIGIT_CHARS}])*)[${INT_SPACE}]*$`, 'u');
/** Python's default limit on the digits int(str) converts (sys.int_info.default_max_str_digits). */
const MAX_INT_DIGITS = 4300;
const DECIMAL_DIGIT = new RegExp(`[${PY_DIGIT_CHARS}]`, 'u');

/** A decimal digit's value, in whatever script: Unicode puts each script's 0 to 9 in a run. */
function digitValue(digit: string): number {
  const cp = digit.codePointAt(0) as number;
  let zero = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return (cp - zero) % 10;
}

/** int(value) for a decimal string, or undefined where Python raises ValueError. */
export function pyInt(value: string): number | undefined {
  const m = PY_INT.exec(value);
  const digits = m ? [...(m[2] as string)].filter((c) => c !== '_') : [];
  if (!m || digits.length > MAX_INT_DIGITS) return undefined;
  const n = Number(digits.map(digitValue).join(''));
  return m[1] === '-' ? -n : n;
}
