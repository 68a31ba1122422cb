// The records of a pax extended header ('x', Solaris 'X') or global header ('g'), read as CPython
// 3.14's tarfile reads them (TarInfo._proc_pax, _apply_pax_info), so that a member's name, link and
// size are what PyPI sees: each record is a length of 1 to 20 digits and a space, then
// `keyword=value`, ending with a newline at exactly `length` bytes from its start; records run until
// the data ends or a NUL byte. A record framed otherwise makes the header invalid (so does one shorter
// than 5 bytes or running past the data). Keywords and values are UTF-8, or UTF-8 with
// surrogateescape where they are not (tarfile's fallback, whatever hdrcharset says on a UTF-8 system);
// `path` loses its trailing slashes; a `size` or `uid` that is no integer reads as 0.

import { pyInt } from '../python-int.ts';
import { decodeName, HeaderError } from './tar-header.ts';

/** _header_length_prefix_re: where a record starts, its length in 1 to 20 ASCII digits and a space. */
const RECORD_LENGTH = /([0-9]{1,20}) /y;
/** Where Python's reading of the tar raises ValueError, which neither tarfile, is_tarfile nor warehouse catches: a server error at PyPI. */
export class TarValueError extends Error {}

/** A record as read, before decoding: GNU sparse 0.0 reads its numbers from these. */
export type RawPaxRecord = [keyword: Buffer, value: Buffer];

const invalidHeader = () => new HeaderError('invalid', 'invalid header');

/**
 * Reads the records of `data` into `headers` (in order, a later record replacing an earlier one) and
 * returns them as read. Throws HeaderError('invalid') where tarfile raises InvalidHeaderError.
 */
export function readPaxRecords(data: Buffer, headers: Map<string, string>): RawPaxRecord[] {
  const text = data.toString('latin1');
  const records: RawPaxRecord[] = [];
  for (let pos = 0; pos < data.length && data[pos] !== 0; ) {
    RECORD_LENGTH.lastIndex = pos;
    const digits = RECORD_LENGTH.exec(text)?.[1];
    if (digits === undefined) throw invalidHeader();
    // Twenty digits may pass 2^53: compared as BigInts, so no rounding lets a record through.
    if (BigInt(digits) < 5n || BigInt(pos) + BigInt(digits) > BigInt(data.length)) throw invalidHeader();
    const last = pos + Number(digits) - 1;
    const keywordAndValue = data.subarray(pos + digits.length + 1, last);
    const equals = keywordAndValue.indexOf(0x3d);
    if (equals <= 0 || data[last] !== 0x0a) throw invalidHeader();
    records.push([keywordAndValue.subarray(0, equals), keywordAndValue.subarray(equals + 1)]);
    pos += Number(digits);
  }
  for (const [keyword, value] of records) headers.set(decodeName(keyword), decodeName(value));
  return records;
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
      if (n === undefined) throw new TarValueError(`${keyword} is not a number`);
      member.size = n;
    } else if (keyword === 'path') member.name = value.replace(/\/+$/, '');
    else if (keyword === 'linkpath') member.linkname = value;
    else if (keyword === 'size') member.size = pyInt(value) ?? 0;
  }
}
