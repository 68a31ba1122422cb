// print-hash's digests of a large dist, read on a thread of their own. While the main thread reads a
// large wheel's SHA-256 to sign it, the machine's other core has nothing to do; the upload then sent
// each chunk through three hashes on the one thread that also sends it, and that thread, not the
// index, set the pace (docs/architecture.md, "What bounds the targets of issue #21"). The thread
// reads the file itself, and its SHA-256 says whether it read the bytes that were checked and signed.
// A thread costs ~16–20 MB of resident memory (a second V8 isolate), so only dists of at least
// SHOWN_DIGESTS_THREAD_MIN use it, and it is started at the first of them.
import { Worker } from 'node:worker_threads';
import type { Digests } from './types.ts';

/** One file to read: its path and the size it was checked at (a file of another size is an error). */
export interface DigestRequest {
  id: number;
  path: string;
  size: number;
}

export type DigestReply = { id: number; digests: Required<Digests> } | { id: number; error: string };

export interface DigestThread {
  /** SHA-256, MD5 and BLAKE2b-256 of one file; files are read one after another, in the order asked. */
  digest(path: string, size: number): Promise<Required<Digests>>;
  /** Stops the thread; what it still owed rejects. */
  close(): Promise<void>;
}

/** `workerFile`: the thread's entry (src/digest-worker.ts, bundled as dist/digest-worker.js). */
export function createDigestThread(workerFile: URL = digestWorkerBeside(import.meta.url)): DigestThread {
  const pending = new Map<number, PromiseWithResolvers<Required<Digests>>>();
  let worker: Worker | undefined;
  let nextId = 0;
  const failAll = (error: Error) => {
    worker = undefined;
    for (const owed of pending.values()) owed.reject(error);
    pending.clear();
  };
  const start = () => {
    // Not the process's own flags (a CLI's --input-type, say): the entry is a plain module file.
    const w = new Worker(workerFile, { execArgv: [] });
    w.on('message', (reply: DigestReply) => {
      const owed = pending.get(reply.id);
      pending.delete(reply.id);
      if ('digests' in reply) owed?.resolve(reply.digests);
      else owed?.reject(new Error(reply.error));
      // The thread keeps the process alive only while it owes an answer.
      if (pending.size === 0) w.unref();
    });
    w.on('error', (error) => failAll(new Error(`the digest thread failed: ${error.message}`)));
    w.on('exit', (code) => failAll(new Error(`the digest thread stopped (exit code ${code})`)));
    return w;
  };
  return {
    digest(path, size) {
      const owed = Promise.withResolvers<Required<Digests>>();
      try {
        worker ??= start();
      } catch (error) {
        return Promise.reject(new Error(`the digest thread did not start: ${(error as Error).message}`));
      }
      const id = nextId++;
      pending.set(id, owed);
      worker.ref();
      worker.postMessage({ id, path, size } satisfies DigestRequest);
      return owed.promise;
    },
    async close() {
      const w = worker;
      failAll(new Error('the digest thread was closed'));
      await w?.terminate();
    },
  };
}

/**
 * The thread's entry, found from this module's URL: src/digest-worker.ts from src/dists/, or
 * dist/digest-worker.js from the bundle this code landed in (dist/ or dist/chunks/).
 */
export function digestWorkerBeside(here: string): URL {
  if (here.endsWith('.ts')) return new URL('../digest-worker.ts', here);
  return new URL(/\/chunks\/[^/]*$/.test(here) ? '../digest-worker.js' : './digest-worker.js', here);
}
