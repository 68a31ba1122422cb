// A gzip stream read the way Python's gzip module reads it under tarfile.open(path, "r:gz"), which
// is how PyPI reads an sdist: member after member (RFC 1952 allows many; `cat a.gz b.gz` makes one),
// each member's CRC-32 and length checked when the reading goes on past it, zero bytes between
// members skipped, and nothing read past the point where tarfile stops (src/dists/archive/
// tarfile.ts). So bytes after the tar's end (trailing garbage, a second member, a cut-short stream,
// a decompression bomb) are never inflated or looked at, and PyPI accepts such a file.
//
// Node's Gunzip differs (it checks the header CRC and reserved flags Python ignores, and fails on
// trailing bytes), so the framing is parsed here and each member's deflate data goes to InflateRaw,
// whose count of bytes used tells where the member's trailer starts.

import { Writable } from 'node:stream';
import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';
import { ARCHIVE_LIMITS, ArchiveLimitError } from './limits.ts';

/** The stream is not gzip at all (PyPI: "File is not a tarfile"). */
export class NotGzipError extends Error {}

/** A later member's framing is damaged or cut short (Python: BadGzipFile, EOFError). */
export class GzipError extends Error {}

/** The data ended inside a member, after its magic (Python: EOFError). */
export class GzipEndError extends GzipError {}

const CUT_SHORT = 'Compressed file ended before the end-of-stream marker was reached';

/** zlib's answer to deflate data that ends before its last block. */
const cutShortDeflate = (e: unknown) => (e as { code?: unknown } | undefined)?.code === 'Z_BUF_ERROR';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const EMPTY = Buffer.alloc(0);

/** The length of the gzip header at the start of `b`, or undefined if more bytes are needed (Python's _read_gzip_header). */
function headerLength(b: Buffer, first: boolean): number | undefined {
  const Bad = first ? NotGzipError : GzipError;
  if (b.length >= 2 && (b[0] !== 0x1f || b[1] !== 0x8b)) throw new Bad('Not a gzipped file');
  if (b.length < 10) return undefined;
  if (b[2] !== 8) throw new Bad('Unknown compression method');
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
  // The header CRC is read and not checked, as Python does.
  if (flags & FHCRC) pos += 2;
  return b.length >= pos ? pos : undefined;
}

/**
 * What reads the decompressed bytes as they come and may stop early (src/dists/archive/tarfile.ts):
 * once it ended, nothing more is inflated and what the rest of the compressed data holds, an error
 * included, is never looked at.
 */
export interface Walk {
  take(chunk: Buffer): void;
  readonly ended: boolean;
  /** The decompressed data ended. */
  end(): void;
}

/** Where the reading stands: in a member's header, its deflate data, its trailer, or the zero bytes after it. */
type Phase = 'header' | 'inflate' | 'trailer' | 'padding';

/** The members of one gzip stream, inflated in turn into the walk. */
class GzipMembers {
  readonly #walk: Walk;
  #phase: Phase = 'header';
  #first = true;
  /** Framing bytes held until whole: a header or a trailer. */
  #framing: Buffer = EMPTY;
  #inflate: InflateRaw | undefined;
  #crc = 0;
  #size = 0;
  #error: Error | undefined;
  /** The walk ended: nothing more is read. */
  #stopped = false;

  constructor(walk: Walk) {
    this.#walk = walk;
  }

  async write(chunk: Buffer): Promise<void> {
    let rest = chunk;
    while (rest.length > 0 && !this.#stopped) rest = this.#phase === 'inflate' ? await this.#feed(rest) : this.#frame(rest);
  }

  /** The compressed data ended: a member cut short is an error unless the walk already ended. */
  async end(): Promise<void> {
    if (this.#stopped) return;
    if (this.#phase === 'inflate') {
      const raw = this.#inflate as InflateRaw;
      const ended = settled(raw);
      raw.end();
      await ended;
      if (cutShortDeflate(this.#error)) this.#error = undefined;
      this.#check();
      if (this.#stopped) return;
      throw new GzipEndError(CUT_SHORT);
    }
    // Python's gzip reads a member's two magic bytes first: fewer are no gzip member at all.
    if (this.#phase === 'header' && this.#framing.length === 1) throw new (this.#first ? NotGzipError : GzipError)('Not a gzipped file');
    if (this.#phase === 'trailer' || (this.#phase === 'header' && this.#framing.length > 0)) throw new GzipEndError(CUT_SHORT);
    // No member at all (an empty file, which tarfile finds empty), or zero bytes after the last.
    this.#walk.end();
  }

  destroy(): void {
    this.#stopped = true;
    this.#inflate?.destroy();
  }

  /** Reads framing bytes from `chunk`; returns what follows them. */
  #frame(chunk: Buffer): Buffer {
    if (this.#phase === 'padding') {
      const at = chunk.findIndex((b) => b !== 0);
      if (at < 0) return EMPTY;
      this.#phase = 'header';
      return chunk.subarray(at);
    }
    this.#framing = this.#framing.length ? Buffer.concat([this.#framing, chunk]) : chunk;
    if (this.#framing.length > ARCHIVE_LIMITS.headerBytes) throw new ArchiveLimitError(`a gzip header or trailer is over ${ARCHIVE_LIMITS.headerBytes} bytes`);
    if (this.#phase === 'trailer') return this.#trailer();
    const length = headerLength(this.#framing, this.#first);
    if (length === undefined) return EMPTY;
    const rest = this.#framing.subarray(length);
    this.#framing = EMPTY;
    this.#start();
    return rest;
  }

  /** Python's _read_eof: the member's CRC-32 and length (mod 2^32) must match what it inflated to. */
  #trailer(): Buffer {
    const t = this.#framing;
    if (t.length < 8) return EMPTY;
    if (t.readUInt32LE(0) !== this.#crc) throw new GzipError('CRC check failed');
    if (t.readUInt32LE(4) !== this.#size % 2 ** 32) throw new GzipError('Incorrect length of data produced');
    this.#framing = EMPTY;
    this.#phase = 'padding';
    this.#first = false;
    return t.subarray(8);
  }

  /** A member's deflate data starts: its bytes go to the walk as they are inflated. */
  #start(): void {
    // 64 KiB out per round trip to zlib's thread, not 16: a tar of many small members inflates to
    // far more than it weighs, and at 16 KiB the round trips were most of its reading time.
    const raw = createInflateRaw({ chunkSize: 64 * 1024 });
    this.#inflate = raw;
    this.#phase = 'inflate';
    this.#crc = 0;
    this.#size = 0;
    raw.on('data', (c: Buffer) => {
      if (this.#stopped || this.#error) return;
      this.#crc = crc32(c, this.#crc);
      this.#size += c.length;
      try {
        this.#walk.take(c);
      } catch (e) {
        this.#error = e as Error;
        raw.destroy();
        return;
      }
      // Nothing after the walk's end is inflated: what is left may be a decompression bomb PyPI never opens.
      if (this.#walk.ended) this.destroy();
    });
    raw.on('error', (e) => {
      this.#error ??= e;
    });
  }

  /** Inflates `chunk`; returns what follows the member's deflate data when it ended inside the chunk. */
  async #feed(chunk: Buffer): Promise<Buffer> {
    const raw = this.#inflate as InflateRaw;
    const before = raw.bytesWritten;
    await new Promise<void>((resolve) => {
      raw.once('close', resolve);
      raw.write(chunk, () => {
        raw.off('close', resolve);
        resolve();
      });
    });
    this.#check();
    const used = raw.bytesWritten - before;
    if (this.#stopped || used >= chunk.length) return EMPTY;
    // InflateRaw stopped taking input: the deflate data ended. Its last bytes reach the walk before 'end'.
    if (!raw.readableEnded) await settled(raw);
    this.#check();
    if (this.#stopped) return EMPTY;
    this.#inflate = undefined;
    raw.destroy();
    this.#phase = 'trailer';
    return chunk.subarray(used);
  }

  /** An error of the walk or of the deflate data, unless the walk ended first (then it is of data nobody reads). */
  #check(): void {
    if (this.#error && !this.#stopped) throw this.#error;
  }
}

/** When an inflater has given its last bytes, or was destroyed. */
const settled = (raw: InflateRaw) =>
  new Promise<void>((resolve) => {
    raw.once('end', resolve);
    raw.once('close', resolve);
  });

/** A Writable taking gzip bytes and giving their decompressed bytes to `walk`, member after member. */
export function createGunzip(walk: Walk): Writable {
  const members = new GzipMembers(walk);
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      members.write(chunk).then(() => done(), done);
    },
    final(done) {
      members.end().then(() => done(), done);
    },
    destroy(error, done) {
      members.destroy();
      done(error);
    },
  });
}
