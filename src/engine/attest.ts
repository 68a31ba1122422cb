// The sign and verify stages: sign every dist with the run's one certificate, verify each bundle with PyPI's policy,
// and write the sidecars only if every dist passed. A failure anywhere here stops the run before the
// first upload.
import type { Dist } from '../dists/types.ts';
import type { DistSigner, DistVerifier, PublisherIdentity, SignedDist } from '../sigstore/types.ts';
import type { Claims } from '../pypi/claims.ts';
import { parseWorkflowRef } from '../pypi/workflow-ref.ts';
import { gitLabPublisherIdentity, isGitLabClaims } from '../gitlab/publisher.ts';
import { SIGN_CONCURRENCY } from '../tunables.ts';
import { mapLimit } from './concurrency.ts';
import { SidecarStage, sidecarPaths } from './sidecars.ts';

export interface Attested {
  dist: Dist;
  signed: SignedDist;
  /** Where the sidecars were written; absent when their names do not fit in a file name (see `note`). */
  bundlePath?: string;
  attestationPath?: string;
  rekorLogIndex?: string;
  /** Why the sidecars were not written (a warning: the attestation is still uploaded). */
  note?: string;
}

export class AttestationError extends Error {
  readonly failures: Array<{ filename: string; reason: string }>;
  constructor(failures: Array<{ filename: string; reason: string }>) {
    super(`Attestation failed for ${failures.length} file(s); nothing was uploaded:\n${failures.map((f) => `- ${f.filename}: ${f.reason}`).join('\n')}`);
    this.name = 'AttestationError';
    this.failures = failures;
  }
}

/**
 * The identity PyPI will check the attestation against: the publisher is matched on the called
 * workflow (job_workflow_ref), and the certificate must name that workflow at the ref or sha.
 */
export function publisherIdentity(claims: Claims): PublisherIdentity {
  if (isGitLabClaims(claims)) return gitLabPublisherIdentity(claims);
  const called = String(claims['job_workflow_ref'] ?? claims['workflow_ref'] ?? '');
  return {
    repository: String(claims['repository'] ?? ''),
    workflow: parseWorkflowRef(called).filename,
    ref: typeof claims['ref'] === 'string' ? claims['ref'] : undefined,
    sha: typeof claims['sha'] === 'string' ? claims['sha'] : undefined,
  };
}

/**
 * `certified`: the run's certificate, when it was asked for earlier (while a large dist was still
 * being hashed). Without it, the first sign() asks.
 */
export async function attestAll(
  dists: Dist[],
  signer: DistSigner,
  verifier: DistVerifier,
  identity: PublisherIdentity,
  certified?: Promise<void>,
): Promise<Attested[]> {
  // No certificate, no signature: every dist fails for the one reason, as each sign() would have.
  await certified?.catch((error: unknown) => {
    throw new AttestationError(dists.map((d) => ({ filename: d.filename, reason: (error as Error).message })));
  });
  const failures: Array<{ filename: string; reason: string }> = [];
  const sidecars = new SidecarStage();
  const verified: Promise<void>[] = [];
  const signed = await mapLimit(dists, SIGN_CONCURRENCY, async (dist) => {
    let result: SignedDist;
    try {
      result = await signer.sign({ filename: dist.filename, sha256: dist.digests.sha256 });
    } catch (error) {
      failures.push({ filename: dist.filename, reason: (error as Error).message });
      return undefined;
    }
    // The slot goes to the next dist at once, and its bundle is verified once the answers that have
    // arrived were handled: verifying takes CPU, and done first it held back the next Rekor entries.
    verified.push(
      afterPendingIo()
        .then(() => verifier.verify(result, dist.digests.sha256, identity))
        .then(
          () => sidecars.add(dist.path, result.bundle, result.attestation),
          (error: unknown) => void failures.push({ filename: dist.filename, reason: (error as Error).message }),
        ),
    );
    return result;
  });
  await Promise.all(verified);
  if (failures.length > 0) {
    await sidecars.discard();
    throw new AttestationError(failures);
  }
  // Every dist is signed and verified: the sidecars get their names (a re-run replaces its own). One
  // that cannot be written stops the run before the first upload, like a signing failure.
  const unwritten = await sidecars.commit();
  if (unwritten.length > 0) throw new AttestationError(unwritten);
  // A warning, not a failure: the attestation goes up with the dist all the same.
  const notWritten = new Map(
    sidecars.notWritten().map((f) => [f.filename, `${f.reason}. The attestation was uploaded with the dist; PyPI serves it (provenance API)`]),
  );
  return dists.map((dist, i) => {
    const result = signed[i] as SignedDist;
    const note = notWritten.get(dist.filename);
    return { dist, signed: result, ...(note ? { note } : sidecarPaths(dist.path)), rekorLogIndex: logIndexOf(result.bundle) };
  });
}

/** Resolves after the I/O callbacks that are ready now (setImmediate runs after the poll phase). */
function afterPendingIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function logIndexOf(bundle: unknown): string | undefined {
  const entries = (bundle as { verificationMaterial?: { tlogEntries?: Array<{ logIndex?: string }> } })?.verificationMaterial?.tlogEntries;
  return entries?.[0]?.logIndex;
}
