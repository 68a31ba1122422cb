// A multipart/form-data body whose file part streams from disk: memory stays flat whatever the
// dist's size, and the length is known up front so the index sees a Content-Length (PyPI's
// front end and some other indexes refuse chunked uploads).
import { createHash, randomBytes } from 'node:crypto';
import { BufferPool, type BufferLease } from '../io/buffer-pool.ts';
import { FileChangedError, fileChunks } from '../io/file-chunks.ts';
import { MAX_UPLOAD_CONCURRENCY, uploadChunk } from '../tunables.ts';

// Each upload in flight holds a ring of at most four read buffers (src/io/buffer-pool.ts): one whose
// request was answered gives them to the next upload.
const readBuffers = new Map<number, BufferPool>();
const poolFor = (chunkSize: number) => {
  let pool = readBuffers.get(chunkSize);
  if (!pool) readBuffers.set(chunkSize, (pool = new BufferPool(chunkSize, 4 * MAX_UPLOAD_CONCURRENCY)));
  return pool;
};

export interface MultipartFile {
  field: string;
  filename: string;
  path: string;
  size: number;
  /**
   * The SHA-256 (hex) the file had when it was checked and signed. The bytes sent are hashed as they
   * go; if they differ, the body fails before its end (so the index cannot take it as a whole form)
   * with a FileChangedError.
   */
  sha256?: string;
  /** Sees each chunk of the file as it is sent (one observer per attempt), then `complete()` after the last. */
  observe?: () => Promise<ChunkObserver>;
}

export interface ChunkObserver {
  update(chunk: Uint8Array): void;
  complete(): void;
}

export interface MultipartBody {
  contentType: string;
  length: number;
  /**
   * A fresh body each call, so a retry can send the same bytes again. File chunks come from a ring
   * of reused buffers (src/io/file-chunks.ts): a consumer that keeps chunks must copy them.
   */
  open(): AsyncIterable<Buffer>;
  /**
   * Ends the read buffers' leases of every body opened, once the request is over. `flushed`: the last
   * body opened was answered after every byte of it had been handed to the OS, so nothing refers to
   * its buffers any more and they may serve another upload; the others' are left to the collector.
   */
  release(flushed: boolean): void;
}

function quoted(value: string): string {
  // RFC 7578 §4.2: quotes and line breaks in a field's name or filename are percent-encoded.
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function buildMultipart(fields: Array<[string, string]>, file: MultipartFile): MultipartBody {
  const boundary = `----pypi-publish-${randomBytes(12).toString('hex')}`;
  const head = Buffer.concat(
    fields.map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`, 'utf8')),
  );
  const fileHeader = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.filename)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const opened: BufferLease[] = [];
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + fileHeader.length + file.size + tail.length,
    open: async function* () {
      const observer = await file.observe?.();
      const sent = file.sha256 === undefined ? undefined : createHash('sha256');
      yield Buffer.concat([head, fileHeader]);
      const lease = poolFor(uploadChunk(file.size)).lease();
      opened.push(lease);
      for await (const chunk of fileChunks(file.path, { lease, hold: 2, expectedSize: file.size })) {
        // Before the chunk is handed on: its buffer is reused once the consumer asks for the next one.
        observer?.update(chunk);
        sent?.update(chunk);
        yield chunk;
      }
      const digest = sent?.digest('hex');
      if (digest !== undefined && digest !== file.sha256) {
        throw new FileChangedError(file.path, `the bytes sent have sha256 ${digest}, not the checked ${file.sha256}; the upload was stopped before its end`);
      }
      observer?.complete();
      yield tail;
    },
    release(flushed) {
      const last = opened.at(-1);
      for (const lease of opened.splice(0)) lease.end(flushed && lease === last);
    },
  };
}
