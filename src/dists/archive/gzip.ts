// The first member of a gzip stream, read the way Python's tarfile reads an sdist: tarfile stops at the
// tar's end-of-archive blocks, so bytes after the compressed data (trailing garbage, a second member)
// are never looked at, and PyPI accepts such a file. Node's Gunzip instead fails on trailing bytes
// that are not another gzip member, so the header (RFC 1952) is parsed here and the deflate data
// goes to InflateRaw, which stops at the end of its stream and ignores what follows.

import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, type InflateRaw } from 'node:zlib';

/** The stream is not gzip at all (PyPI: "File is not a tarfile"). */
export class NotGzipError extends Error {}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** The length of the gzip header at the start of `b`, or undefined if more bytes are needed. */
function headerLength(b: Buffer): number | undefined {
  if (b.length < 10) return undefined;
  if (b[0] !== 0x1f || b[1] !== 0x8b) throw new NotGzipError('not a gzip file');
  if (b[2] !== 8) throw new NotGzipError('unknown compression method');
  const flags = b[3] as number;
  let pos = 10;
  if (flags & FEXTRA) {
    if (b.length < pos + 2) return undefined;
    pos += 2 + b.readUInt16LE(pos);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const end = b.indexOf(0, pos);
    if (end < 0) return undefined;
    pos = end + 1;
  }
  if (flags & FHCRC) pos += 2;
  return b.length >= pos ? pos : undefined;
}

/** A Transform from gzip bytes to the first member's decompressed bytes. */
export function createFirstMemberGunzip(): Transform {
  let head: Buffer | undefined = Buffer.alloc(0);
  let inflate: InflateRaw | undefined;
  let ended = false;
  const out = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (inflate) return void (ended || inflate.write(chunk) ? done() : inflate.once('drain', () => done()));
      head = Buffer.concat([head as Buffer, chunk]);
      let len: number | undefined;
      try {
        len = headerLength(head);
      } catch (e) {
        return done(e as Error);
      }
      if (len === undefined) return done();
      inflate = createInflateRaw();
      inflate.on('data', (c: Buffer) => out.push(c));
      inflate.on('end', () => (ended = true));
      inflate.on('error', (e) => out.destroy(e));
      const rest = head.subarray(len);
      head = undefined;
      inflate.write(rest) ? done() : inflate.once('drain', () => done());
    },
    flush(done: TransformCallback) {
      if (!inflate) return done(new NotGzipError('not a gzip file'));
      if (ended) return done();
      inflate.once('end', () => done());
      inflate.end();
    },
  });
  return out;
}
