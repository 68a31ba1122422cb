// One 512-byte tar header, read as CPython 3.11's tarfile reads it (TarInfo.frombuf), which is how
// PyPI reads an sdist. tarfile ignores the magic (V7, ustar, GNU and misspelt magics read alike),
// takes the checksum summed with unsigned or with signed bytes, reads every number field as octal
// text (int(s, 8): signs, "0o", underscores, surrounding whitespace) or base-256, prepends the prefix
// field to the name for every type but GNU's L, K and S, and decodes names as UTF-8 with
// surrogateescape: a byte that is not UTF-8 stays itself (a lone surrogate U+DC80..U+DCFF), so two
// names differing only in such bytes stay different, as they do for os.path.commonpath at PyPI.

import { PY_UTF8 } from '../python-text.ts';

export const BLOCK = 512;

/** How tarfile fails on a header: EmptyHeaderError, TruncatedHeaderError, EOFHeaderError, InvalidHeaderError, SubsequentHeaderError. */
export type HeaderFault = 'empty' | 'truncated' | 'eof' | 'invalid' | 'subsequent';

export class HeaderError extends Error {
  readonly fault: HeaderFault;
  constructor(fault: HeaderFault, message: string) {
    super(message);
    this.fault = fault;
  }
}

/** A header's fields that decide how the archive reads on and what PyPI sees. */
export interface TarHeader {
  name: string;
  linkname: string;
  size: number;
  /** The type flag, one character (latin1). */
  type: string;
  /** Old GNU sparse ('S'): extension blocks of sparse entries follow the header. */
  sparseExtended: boolean;
}

/** tarfile's GNU_TYPES: no prefix is prepended to their names. */
const GNU_TYPES = new Set(['L', 'K', 'S']);

/** The length of the valid UTF-8 sequence at b[i] (as Python's strict decoder takes it), or 0. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] as number;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  // E0 needs A0.., ED stops at 9F (no encoded surrogates), F0 needs 90.., F4 stops at 8F.
  if (c >= 0xe0 && c <= 0xef) return cont(1, c === 0xe0 ? 0xa0 : 0x80, c === 0xed ? 0x9f : 0xbf) && cont(2) ? 3 : 0;
  if (c >= 0xf0 && c <= 0xf4) return cont(1, c === 0xf0 ? 0x90 : 0x80, c === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** bytes.decode('utf-8', 'surrogateescape'): each byte outside a valid sequence becomes U+DC00 + byte. */
export function decodeName(bytes: Uint8Array): string {
  try {
    return PY_UTF8.decode(bytes);
  } catch {
    // Not all UTF-8: decoded sequence by sequence below.
  }
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n > 0) out += PY_UTF8.decode(bytes.subarray(i, i + n));
    else out += String.fromCharCode(0xdc00 + (bytes[i] as number));
    i += n || 1;
  }
  return out;
}

/**
 * Where a field of `bytes[from, to)` ends: at its first NUL. Fields are read in place, by offsets:
 * an sdist has a header per member, tens of thousands in a large one, and a view per field was a
 * fifth of their reading.
 */
function fieldEnd(bytes: Uint8Array, from: number, to: number): number {
  const nul = bytes.indexOf(0, from);
  return nul < 0 || nul > to ? to : nul;
}

/** tarfile's nts: the text of `field[from, to)` up to its first NUL. */
export function nts(field: Uint8Array, from = 0, to = field.length): string {
  const end = fieldEnd(field, from, to);
  for (let i = from; i < end; i++) if ((field[i] as number) > 0x7f) return decodeName(field.subarray(from, end));
  const buffer = Buffer.isBuffer(field) ? field : Buffer.from(field.buffer, field.byteOffset, field.byteLength);
  return buffer.toString('latin1', from, end);
}

/** str.strip()'s whitespace among ASCII characters: tab to carriage return, the file to unit separators, space. */
const PY_WHITESPACE = /^[\t\n\v\f\r\x1c-\x1f ]+|[\t\n\v\f\r\x1c-\x1f ]+$/g;
/** What int(s, 8) takes: an optional sign, an optional 0o, octal digits with single underscores between. */
const PY_OCTAL = /^[+-]?(?:0[oO]_?)?[0-7](?:_?[0-7])*$/;

/** tarfile's nti: the number field `field[from, to)`, in base-256 or octal text up to its first NUL; throws where tarfile does. */
export function nti(field: Uint8Array, from = 0, to = field.length): number {
  const first = field[from];
  if (first === 0o200 || first === 0o377) {
    // Exact (a BigInt), or a negative number near zero would come out as -0.
    let n = 0n;
    for (let i = from + 1; i < to; i++) n = n * 256n + BigInt(field[i] as number);
    return Number(first === 0o377 ? n - 256n ** BigInt(to - from - 1) : n);
  }
  const end = fieldEnd(field, from, to);
  return plainOctal(field, from, end) ?? pythonOctal(field.subarray(from, end));
}

/** PY_WHITESPACE, one byte at a time. */
const isPyWhitespace = (b: number): boolean => (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f) || b === 0x20;

/**
 * The form every tar writer uses (octal digits between whitespace), read without building a string:
 * an sdist has a header per member, tens of thousands in a large one. Undefined for any other form.
 */
function plainOctal(text: Uint8Array, start: number, end: number): number | undefined {
  let from = start;
  let to = end;
  while (from < to && isPyWhitespace(text[from] as number)) from++;
  while (to > from && isPyWhitespace(text[to - 1] as number)) to--;
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = (text[i] as number) - 0x30;
    if (digit < 0 || digit > 7) return undefined;
    n = n * 8 + digit;
  }
  return n;
}

/** int(s, 8) over the field's text, with signs, "0o" and underscores. */
function pythonOctal(text: Uint8Array): number {
  if (text.some((b) => b > 0x7f)) throw new HeaderError('invalid', 'invalid header');
  const s = Buffer.from(text).toString('latin1').replace(PY_WHITESPACE, '');
  if (s === '') return 0;
  if (!PY_OCTAL.test(s)) throw new HeaderError('invalid', 'invalid header');
  return Number.parseInt(s.replace(/_/g, '').replace(/^([+-]?)0[oO]/, '$1'), 8);
}

/** calc_chksums: the header's sum with the checksum field as spaces, over unsigned and over signed bytes. */
function checksums(block: Buffer): [number, number] {
  let unsigned = 256;
  let high = 0;
  for (let i = 0; i < BLOCK; i++) {
    if (i === 148) i = 156;
    const b = block[i] as number;
    unsigned += b;
    high += b >>> 7;
  }
  return [unsigned, unsigned - 256 * high];
}

/** The old GNU sparse fields of an 'S' header: nti of each, failing as frombuf fails; whether more blocks follow. */
function sparseExtended(block: Buffer): boolean {
  for (let i = 0, pos = 386; i < 4; i++, pos += 24) {
    nti(block, pos, pos + 12);
    nti(block, pos + 12, pos + 24);
  }
  const extended = block[482] !== 0;
  nti(block, 483, 495);
  return extended;
}

/** mode, uid, gid, mtime, devmajor, devminor: read (and so checked) though unused here. */
const UNUSED_NUMBERS = [
  [100, 108],
  [108, 116],
  [116, 124],
  [136, 148],
  [329, 337],
  [337, 345],
] as const;

function allZeros(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/**
 * TarInfo._frombuf: the header in `block`, or a HeaderError where tarfile raises one. `dircheck`
 * false: the header follows a long-name or pax header, and a V7 directory stays a file (3.14).
 */
export function parseHeader(block: Buffer, dircheck = true): TarHeader {
  if (block.length === 0) throw new HeaderError('empty', 'empty header');
  if (block.length !== BLOCK) throw new HeaderError('truncated', 'truncated header');
  if (allZeros(block)) throw new HeaderError('eof', 'end of file header');
  const checksum = nti(block, 148, 156);
  if (!checksums(block).includes(checksum)) throw new HeaderError('invalid', 'bad checksum');
  let name = nts(block, 0, 100);
  for (const [from, to] of UNUSED_NUMBERS) nti(block, from, to);
  const size = nti(block, 124, 136);
  let type = block.toString('latin1', 156, 157);
  const linkname = nts(block, 157, 257);
  const prefix = nts(block, 345, 500);
  // A V7 directory is a regular file ('\0' only) whose name ends with "/".
  if (dircheck && type === '\0' && name.endsWith('/')) type = '5';
  const extended = type === 'S' ? sparseExtended(block) : false;
  if (type === '5') name = name.replace(/\/+$/, '');
  if (prefix && !GNU_TYPES.has(type)) name = `${prefix}/${name}`;
  return { name, linkname, size, type, sparseExtended: extended };
}

/** The checks on an old GNU sparse extension block (_proc_sparse): its 21 entries read as numbers; whether another follows. */
export function sparseExtension(block: Buffer): boolean {
  for (let i = 0, pos = 0; i < 21; i++, pos += 24) {
    nti(block, pos, pos + 12);
    nti(block, pos + 12, pos + 24);
  }
  return block[504] !== 0;
}
