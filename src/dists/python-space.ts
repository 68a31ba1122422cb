// Python's white space (str.isspace, `\s` on str, str.strip() and str.split() with no argument), which
// packaging's patterns, the email header parser and docutils use. JavaScript's `\s` differs: Python's
// has \x1c-\x1f and \x85, and not \ufeff.

/** Python's white space as a character class's contents. */
export const PYTHON_SPACE = String.raw`\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;

/** One of Python's white space characters (str.isspace). */
export const PY_SPACE_CHAR = new RegExp(`^[${PYTHON_SPACE}]$`, 'u');

const PY_STRIP = new RegExp(`^[${PYTHON_SPACE}]+|[${PYTHON_SPACE}]+$`, 'gu');

/** str.strip() with no argument. */
export const pyStrip = (s: string): string => s.replace(PY_STRIP, '');
