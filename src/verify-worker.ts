// Entry of the verifier thread (src/sigstore/verifier-thread.ts starts it): the same verification as
// on the main thread (src/sigstore/verify.ts), on a trust material built here from the trusted root.
import { parentPort, workerData } from 'node:worker_threads';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial } from '@sigstore/verify';
import { VerificationFailure } from './sigstore/errors.ts';
import { createDistVerifier } from './sigstore/verify.ts';
import type { VerifyReply, VerifyRequest } from './sigstore/verifier-thread.ts';

const port = parentPort;
if (port) {
  const verifier = createDistVerifier({ trustMaterial: toTrustMaterial(TrustedRoot.fromJSON((workerData as { trustedRoot: unknown }).trustedRoot)) });
  port.on('message', (req: VerifyRequest) => {
    verifier.verify(req.signed, req.fileSha256, req.identity).then(
      () => port.postMessage({ id: req.id } satisfies VerifyReply),
      (error: unknown) => {
        const failure = error instanceof VerificationFailure;
        const message = error instanceof Error ? error.message : String(error);
        port.postMessage({ id: req.id, error: { failure, code: failure ? error.code : undefined, message } } satisfies VerifyReply);
      },
    );
  });
}
