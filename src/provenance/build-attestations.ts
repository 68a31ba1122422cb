// The publish step's use of build attestations: a `<dist>.slsa.attestation` beside a dist (written by
// build-provenance in the build job, brought over by download-artifact) is checked with PyPI's policy
// for this run's publisher and the dist's sha256 before any token is requested, so one PyPI would
// refuse (another workflow file or repository, another file, altered) stops the run while nothing is
// published, with PyPI's reason. Stage: dists → the build attestations to upload, or the failures.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { DistVerifier, PublisherIdentity } from '../sigstore/types.ts';
import { SLSA_PREDICATE_TYPE } from '../sigstore/statement.ts';
import { BUILD_ATTESTATION_SUFFIX, BUILD_BUNDLE_SUFFIX } from './sidecars.ts';
import { parseWorkflowRef } from '../pypi/workflow-ref.ts';

/** `auto`: use the ones present; `require`: every dist must have one; `ignore`: never look. */
export type BuildAttestationMode = 'auto' | 'require' | 'ignore';
export const BUILD_ATTESTATION_MODES: readonly BuildAttestationMode[] = ['auto', 'require', 'ignore'];

/** A build attestation read from beside its dist (and its Sigstore bundle, when that is there too). */
export interface BuildAttestation {
  distPath: string;
  attestationPath: string;
  /** the PEP 740 object, as PyPI will receive it */
  attestation: unknown;
  /** the `.slsa.sigstore.json` bundle, verified with it when present */
  bundle?: unknown;
}

/** One dist whose build attestation cannot go to PyPI, and why. */
export interface BuildAttestationFailure {
  filename: string;
  reason: string;
}

export interface BuildAttestationCheck {
  /** by dist path */
  found: Map<string, BuildAttestation>;
  failures: BuildAttestationFailure[];
}

/** A real attestation is a few KiB; anything far larger is not one, and is not read whole. */
const MAX_ATTESTATION_BYTES = 1 << 20;

/** Reads a regular file at `path` without following a link; undefined when there is none. */
async function readSidecar(path: string): Promise<string | undefined> {
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer, and the step with it.
    fh = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A dist name near PyPI's 246 bytes makes the sidecar's name too long for the file system: no
    // such file can exist, so the dist has no build attestation.
    if (code === 'ENOENT' || code === 'ENAMETOOLONG') return undefined;
    if (code === 'ELOOP') throw new Error(`${path} is a symbolic link; a build attestation must be a regular file beside its dist`);
    throw new Error(`${path} cannot be read (${code})`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    if (st.size > MAX_ATTESTATION_BYTES) throw new Error(`${path} is ${st.size} bytes, not an attestation (they are a few KiB)`);
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

function parsed(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
}

async function readOne(dist: { path: string; filename: string }): Promise<BuildAttestation | undefined> {
  const attestationPath = dist.path + BUILD_ATTESTATION_SUFFIX;
  const text = await readSidecar(attestationPath);
  if (text === undefined) return undefined;
  const bundleText = await readSidecar(dist.path + BUILD_BUNDLE_SUFFIX);
  const found: BuildAttestation = { distPath: dist.path, attestationPath, attestation: parsed(text, attestationPath) };
  if (bundleText !== undefined) found.bundle = parsed(bundleText, dist.path + BUILD_BUNDLE_SUFFIX);
  return found;
}

/** Find: the build attestation beside each dist; a missing one is a failure only under `require`. */
export async function findBuildAttestations(
  dists: ReadonlyArray<{ path: string; filename: string }>,
  mode: BuildAttestationMode,
): Promise<BuildAttestationCheck> {
  const found = new Map<string, BuildAttestation>();
  const failures: BuildAttestationFailure[] = [];
  if (mode === 'ignore') return { found, failures };
  await Promise.all(
    dists.map(async (d) => {
      try {
        const one = await readOne(d);
        if (one) found.set(d.path, one);
        else if (mode === 'require')
          failures.push({
            filename: d.filename,
            reason: `build-attestations is "require", but there is no ${d.filename}${BUILD_ATTESTATION_SUFFIX} beside it (run build-provenance in the build job and download its files with the dists)`,
          });
      } catch (e) {
        failures.push({ filename: d.filename, reason: (e as Error).message });
      }
    }),
  );
  return { found, failures };
}

/**
 * Verify: each build attestation as PyPI will on upload — this run's publisher (repository and
 * workflow file), exactly one subject naming this dist with its sha256, the SLSA predicate type.
 */
export async function verifyBuildAttestations(
  found: ReadonlyMap<string, BuildAttestation>,
  dists: ReadonlyArray<{ path: string; filename: string; sha256: string }>,
  verifier: DistVerifier,
  identity: PublisherIdentity,
): Promise<BuildAttestationFailure[]> {
  const failures: BuildAttestationFailure[] = [];
  await Promise.all(
    dists.map(async (d) => {
      const b = found.get(d.path);
      if (!b) return;
      try {
        await verifier.verify(
          { filename: d.filename, sha256: d.sha256, bundle: b.bundle, attestation: b.attestation, predicateType: SLSA_PREDICATE_TYPE },
          d.sha256,
          identity,
        );
      } catch (e) {
        failures.push({
          filename: d.filename,
          reason: `PyPI would refuse its build attestation (${d.filename}${BUILD_ATTESTATION_SUFFIX}): ${(e as Error).message}`,
        });
      }
    }),
  );
  return failures;
}

/**
 * This run's publisher before any token exists: the repository and the top-level workflow file the
 * runner names (GITHUB_REPOSITORY, GITHUB_WORKFLOW_REF), which is what the certificate's Build Config
 * URI names and what PyPI compares with its trusted publisher.
 */
export function runPublisher(github: { repository?: string | undefined; workflowRef?: string | undefined }): PublisherIdentity | undefined {
  const repository = github.repository ?? '';
  const { filename: workflow, ref } = parseWorkflowRef(github.workflowRef ?? '');
  if (!repository.includes('/') || !workflow) return undefined;
  return { repository, workflow, ref: ref || undefined };
}
