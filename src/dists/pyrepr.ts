// PyPI and packaging quote values with Python's repr() ("'foo'"); reproducing it keeps our messages
// byte-for-byte equal to what PyPI would answer, so users can search for them.

import { PY_UNPRINTABLE_CHARS } from './python-classes.ts';

// not str.isprintable(), in PyPI's Python's Unicode: a character Node knows and that Python does not is escaped.
const NOT_PRINTABLE = new RegExp(`^[${PY_UNPRINTABLE_CHARS}]$`, 'u');
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) out += cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    else out += ch;
  }
  return out + quote;
}
