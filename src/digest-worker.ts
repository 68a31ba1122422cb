// Entry of the digest thread (src/dists/digest-thread.ts starts it): all three digests of each file
// asked for, one file after another, with the same read and hashers as the main thread's.
import { parentPort } from 'node:worker_threads';
import { digestFile } from './dists/digest.ts';
import type { DigestReply, DigestRequest } from './dists/digest-thread.ts';

const port = parentPort;
if (port) {
  let queue = Promise.resolve();
  port.on('message', (req: DigestRequest) => {
    queue = queue.then(async () => {
      try {
        const digests = await digestFile(req.path, ['sha256', 'md5', 'blake2b256'], req.size);
        port.postMessage({ id: req.id, digests } satisfies DigestReply);
      } catch (error) {
        port.postMessage({ id: req.id, error: error instanceof Error ? error.message : String(error) } satisfies DigestReply);
      }
    });
  });
}
