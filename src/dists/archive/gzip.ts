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

/**
 * What reads the decompressed bytes as they come and may end the stream early (src/dists/archive/
 * tar-end.ts): only the part it takes is passed on, and once it ended, nothing more is inflated and
 * what the rest of the compressed data holds, an error included, is never looked at.
 */
export interface Walk {
  take(chunk: Buffer): Buffer;
  readonly ended: boolean;
  /** What it still holds back when the data ends. */
  rest(): Buffer;
}

/** A Transform from gzip bytes to the first member's decompressed bytes, as `walk` takes them. */
export function createFirstMemberGunzip(walk: Walk): Transform {
  let head: Buffer | undefined = Buffer.alloc(0);
  let inflate: InflateRaw | undefined;
  let ended = false;
  const pass = (c: Buffer) => {
    const taken = walk.take(c);
    if (taken.length > 0) out.push(taken);
    if (!walk.ended || ended) return;
    // Nothing after the walk's end is inflated: what is left may be a decompression bomb PyPI never opens.
    ended = true;
    inflate?.destroy();
  };
  // Writes to InflateRaw, going on when it drained, or when it closed: an error of data past the walk's
  // end is not reported, and the inflater it destroyed never drains.
  const send = (chunk: Buffer, done: TransformCallback) => {
    const raw = inflate as InflateRaw;
    if (ended || raw.write(chunk)) return done();
    const go = () => {
      raw.off('drain', go);
      raw.off('close', go);
      done();
    };
    raw.once('drain', go);
    raw.once('close', go);
  };
  const out = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (inflate) return send(chunk, done);
      head = Buffer.concat([head as Buffer, chunk]);
      let len: number | undefined;
      try {
        len = headerLength(head);
      } catch (e) {
        return done(e as Error);
      }
      if (len === undefined) return done();
      inflate = createInflateRaw();
      inflate.on('data', (c: Buffer) => {
        try {
          pass(c);
        } catch (e) {
          out.destroy(e as Error);
        }
      });
      inflate.on('end', () => (ended = true));
      // Past the walk's end (where pass() destroyed it), an error is of data nobody reads.
      inflate.on('error', (e) => walk.ended || out.destroy(e));
      const rest = head.subarray(len);
      head = undefined;
      send(rest, done);
    },
    flush(done: TransformCallback) {
      if (!inflate) return done(new NotGzipError('not a gzip file'));
      let finished = false;
      const finish = () => {
        if (finished || out.destroyed) return;
        finished = true;
        try {
          const rest = walk.ended ? undefined : walk.rest();
          if (rest?.length) out.push(rest);
          done();
        } catch (e) {
          done(e as Error);
        }
      };
      if (ended) return finish();
      // 'close' without 'end': the data past the walk's end was cut short or damaged, which is not reported.
      inflate.once('end', finish);
      inflate.once('close', finish);
      inflate.end();
    },
  });
  return out;
}
