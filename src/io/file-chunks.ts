// Reading a file as a sequence of chunks through a small ring of reused buffers, one read ahead.
//
// Why not fs.createReadStream: it allocates a fresh buffer per read, and V8 frees those only when a
// garbage collection runs, which it starts from external memory only after about 64 MB of growth.
// Streaming a 1 GiB wheel (to hash it, then to upload it) kept ~70 MB of dead buffers around: peak
// RSS 175 MB instead of the ~105 MB the action needs otherwise. Reused buffers make no garbage.
//
// The contract that makes reuse safe: a yielded chunk stays valid until the consumer asks for the
// chunk `hold` places after it. A hasher is done with a chunk when it asks for the next (hold 1).
// An HTTP body writer (src/http/exchange.ts) asks for the next chunk only once the socket has
// taken the previous one: socket.write() returned true (under 16 KiB still queued, so every older
// chunk is fully flushed) or it waited for 'drain' (nothing queued); so hold 2. The next chunk is
// read while the consumer works on the current one (disk and socket/hash overlap), which takes one
// more buffer; one further buffer is margin. A consumer that keeps chunks must copy them.
import type { FileHandle } from 'node:fs/promises';
import type { BufferLease } from './buffer-pool.ts';
import { closeFd, fstatFd, openFd, readFd } from './fd.ts';

export interface FileChunksOptions {
  /** Bytes per read (default 1 MiB). */
  chunkSize?: number;
  /** How many chunks later the consumer is done with a chunk (default 1). */
  hold?: number;
  /** The file must have exactly this many bytes; a file that changed size is an error, not a short upload. */
  expectedSize?: number;
  /**
   * Where the ring's buffers come from, instead of fresh allocations (the chunk size is the lease's).
   * The caller ends the lease once it is done with every chunk.
   */
  lease?: BufferLease;
}

/**
 * A dist whose bytes are no longer those that were checked (and signed): sending it again cannot
 * help, so it is never retried, and it is reported as what it is, not as a network error.
 */
export class FileChangedError extends Error {
  readonly code = 'FILE_CHANGED';
  readonly path: string;
  constructor(path: string, what: string) {
    super(`${path} changed since it was checked (${what}): it changed during the run; leave the dists untouched until the step ends, then re-run it`);
    this.name = 'FileChangedError';
    this.path = path;
  }
}

type ReadAt = (buf: Buffer, offset: number, length: number, position: number) => Promise<number>;

async function readAll(readAt: ReadAt, buf: Buffer, pos: number, len: number): Promise<number> {
  let got = 0;
  while (got < len) {
    const bytesRead = await readAt(buf, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Reads up to `len` bytes at `pos` into `buf` (a read may return less); fewer only at end of file. */
export function readInto(fh: FileHandle, buf: Buffer, pos: number, len: number): Promise<number> {
  return readAll(async (b, offset, length, position) => (await fh.read(b, offset, length, position)).bytesRead, buf, pos, len);
}

async function readFully(fd: number, buf: Buffer, pos: number, len: number, path: string): Promise<Buffer> {
  const readAt: ReadAt = async (b, offset, length, position) => (await readFd(fd, b, offset, length, position)).bytesRead;
  if ((await readAll(readAt, buf, pos, len)) < len) throw new FileChangedError(path, 'it became shorter while it was read');
  return buf.subarray(0, len);
}

export async function* fileChunks(path: string, opts: FileChunksOptions = {}): AsyncGenerator<Buffer> {
  const chunkSize = opts.lease?.size ?? opts.chunkSize ?? 1 << 20;
  const fd = await openFd(path, 'r');
  let pending: Promise<Buffer> | undefined;
  try {
    const size = opts.expectedSize ?? (await fstatFd(fd)).size;
    // A file of fewer chunks than the ring needs no more buffers than it has chunks: most dists are
    // one chunk, and every buffer allocated here is external memory the collector must reclaim.
    const buffers = Math.max(1, Math.min((opts.hold ?? 1) + 2, Math.ceil(size / chunkSize)));
    const ring = Array.from({ length: buffers }, () => opts.lease?.take() ?? Buffer.allocUnsafeSlow(Math.max(1, Math.min(chunkSize, size))));
    const readChunk = (i: number, pos: number) => readFully(fd, ring[i % ring.length]!, pos, Math.min(chunkSize, size - pos), path);
    let pos = 0;
    if (size > 0) pending = readChunk(0, 0);
    for (let i = 0; pending; i++) {
      const chunk = await pending;
      pos += chunk.length;
      pending = pos < size ? readChunk(i + 1, pos) : undefined;
      yield chunk;
    }
    if (opts.expectedSize !== undefined && (await fstatFd(fd)).size !== size) {
      throw new FileChangedError(path, `it no longer has the ${size} bytes it had`);
    }
  } finally {
    // A consumer that stops early (an upload attempt that failed) leaves a read in flight.
    await pending?.catch(() => undefined);
    await closeFd(fd);
  }
}
