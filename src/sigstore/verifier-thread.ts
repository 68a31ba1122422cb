// Verifying a bundle is ~2–3 ms of CPU, the largest share of the main thread's work per dist while a
// release is signed (bench b: ~250 ms for 100 dists, on the critical path between the Rekor rounds).
// A worker thread does it on another core instead. It costs ~20 MB and loading the verifier a second
// time, so it is started only for releases of many dists; a single large wheel (bench a, where peak
// RSS counts) is verified on the main thread. If the thread fails, what it had not answered, and
// everything after, is verified on the main thread: a worker problem never fails a release.
import { Worker } from 'node:worker_threads';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { VerificationFailure } from './errors.ts';
import type { VerificationFailureCode } from './errors.ts';
import type { DistVerifier, PublisherIdentity, SignedDist } from './types.ts';

export { VERIFIER_THREAD_MIN_DISTS } from '../tunables.ts';

export interface VerifyRequest {
  id: number;
  signed: SignedDist;
  fileSha256: string;
  identity: PublisherIdentity;
}

export interface VerifyReply {
  id: number;
  /** `failure`: a VerificationFailure (its code travels with it); otherwise an unexpected error */
  error?: { failure: boolean; code?: VerificationFailureCode | undefined; message: string };
}

export interface ThreadedVerifier extends DistVerifier {
  close(): Promise<void>;
}

export interface ThreadedVerifierOptions {
  workerFile: URL;
  trustedRoot: TrustedRoot;
  /** the main thread's verifier, made when the thread fails */
  fallback: () => DistVerifier;
  /** told once, with the reason, when verification moves back to the main thread */
  onFallback?: (reason: string) => void;
}

export function createThreadedVerifier(opts: ThreadedVerifierOptions): ThreadedVerifier {
  const pending = new Map<number, { req: VerifyRequest; resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let fallback: DistVerifier | undefined;
  let worker: Worker | undefined;

  const onMain = (): DistVerifier => (fallback ??= opts.fallback());
  const settleOnMain = (entry: { req: VerifyRequest; resolve: () => void; reject: (e: Error) => void }) =>
    onMain().verify(entry.req.signed, entry.req.fileSha256, entry.req.identity).then(entry.resolve, entry.reject);

  function abandon(reason: string): void {
    const w = worker;
    worker = undefined;
    void w?.terminate();
    opts.onFallback?.(reason);
    const owed = [...pending.values()];
    pending.clear();
    for (const entry of owed) settleOnMain(entry);
  }

  try {
    worker = new Worker(opts.workerFile, { workerData: { trustedRoot: TrustedRoot.toJSON(opts.trustedRoot) } });
  } catch (error) {
    abandon(`the verifier thread did not start: ${(error as Error).message}`);
    return { verify: (signed, fileSha256, identity) => onMain().verify(signed, fileSha256, identity), close: async () => {} };
  }
  // The thread keeps the process alive only while it owes an answer.
  worker.unref();
  worker.on('message', (reply: VerifyReply) => {
    const entry = pending.get(reply.id);
    if (!entry) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker?.unref();
    if (!reply.error) entry.resolve();
    else if (reply.error.failure && reply.error.code) entry.reject(new VerificationFailure(reply.error.code, reply.error.message));
    else entry.reject(new Error(reply.error.message));
  });
  worker.on('error', (error) => abandon(`the verifier thread failed: ${error.message}`));
  worker.on('exit', (code) => {
    if (worker) abandon(`the verifier thread stopped (exit code ${code})`);
  });

  return {
    verify(signed, fileSha256, identity) {
      return new Promise<void>((resolve, reject) => {
        const req: VerifyRequest = { id: nextId++, signed, fileSha256, identity };
        if (!worker) return void settleOnMain({ req, resolve, reject });
        pending.set(req.id, { req, resolve, reject });
        worker.ref();
        worker.postMessage(req);
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
