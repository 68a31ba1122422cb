// The records of a pax extended header ('x', Solaris 'X') or global header ('g'), read as CPython
// 3.11's tarfile reads them (TarInfo._proc_pax, _apply_pax_info), so that a member's name, link and
// size are what PyPI sees: records are matched one after another from the start, `length` bytes
// each, whatever they end with; a record of length 0 makes the header invalid; keywords and values
// are UTF-8, or UTF-8 with surrogateescape where they are not (tarfile's fallback, whatever
// hdrcharset says on a UTF-8 system); `path` loses its trailing slashes; a `size` or `uid` that is no
// integer reads as 0.

import { decodeName, HeaderError } from './tar-header.ts';

/** A record's start: its length and keyword (tarfile: br"(\d+) ([^=]+)="), matched where the previous ended. */
const RECORD = /(\d+) ([^=]+)=/y;
const HDRCHARSET = /\d+ hdrcharset=([^\n]+)\n/;
/** The whitespace int(str) strips around a number: Unicode's, but not the separators \x1c-\x1f. */
const INT_SPACE = String.raw`\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
/** What int(str) takes: a sign, then decimal digits of any script with single underscores between. */
const PY_INT = new RegExp(`^[${INT_SPACE}]*([+-]?)(\\p{Nd}(?:_?\\p{Nd})*)[${INT_SPACE}]*$`, 'u');
/** Python's default limit on the digits int(str) converts (sys.int_info.default_max_str_digits). */
const MAX_INT_DIGITS = 4300;
const DECIMAL_DIGIT = /\p{Nd}/u;

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

const SSIZE_MAX = 2n ** 63n - 1n;

/** A value Python would fail on with an exception tarfile does not turn into a ReadError. */
export class PaxValueError extends Error {}

/** Reads the records of `data` into `headers` (in order, a later record replacing an earlier one). */
export function readPaxRecords(data: Buffer, headers: Map<string, string>): void {
  const text = data.toString('latin1');
  const charset = HDRCHARSET.exec(text);
  if (charset) {
    const bytes = Buffer.from(charset[1] as string, 'latin1');
    if (decodeName(bytes) !== bytes.toString('utf8')) throw new PaxValueError('hdrcharset is not UTF-8');
    headers.set('hdrcharset', bytes.toString('utf8'));
  }
  for (let pos = 0; ; ) {
    RECORD.lastIndex = pos;
    const match = RECORD.exec(text);
    if (!match) return;
    const digits = match[1] as string;
    const keyword = match[2] as string;
    const length = Number(digits);
    if (length === 0) throw new HeaderError('invalid', 'invalid header');
    // Python matches the next record at pos + length: past a C ssize_t that is an OverflowError.
    if (BigInt(pos) + BigInt(digits) > SSIZE_MAX) throw new PaxValueError('a pax record length past the largest file offset');
    // The value runs from after "=" to the record's last byte (its newline, unchecked), as Python slices it.
    const start = pos + digits.length + 1 + keyword.length + 1;
    const end = pos + length - 1;
    headers.set(decodeName(Buffer.from(keyword, 'latin1')), decodeName(data.subarray(start, Math.max(start, end))));
    pos += length;
  }
}

/** The fields of a member pax records replace (TarInfo._apply_pax_info). */
export interface PaxTarget {
  name: string;
  linkname: string;
  size: number;
}

/** _apply_pax_info: the fields `headers` replace in `member`, in the order the records came. */
export function applyPax(member: PaxTarget, headers: Map<string, string>): void {
  for (const [keyword, value] of headers) {
    if (keyword === 'GNU.sparse.name') member.name = value;
    else if (keyword === 'GNU.sparse.size' || keyword === 'GNU.sparse.realsize') {
      const n = pyInt(value);
      if (n === undefined) throw new PaxValueError(`${keyword} is not a number`);
      member.size = n;
    } else if (keyword === 'path') member.name = value.replace(/\/+$/, '');
    else if (keyword === 'linkpath') member.linkname = value;
    else if (keyword === 'size') member.size = pyInt(value) ?? 0;
  }
}
