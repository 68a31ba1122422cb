// The companion action's outputs: the files it wrote, for a later step (upload-artifact, twine, uv).
import type { BuildAttestation } from './attest-build.ts';

export function buildProvenanceOutputs(written: BuildAttestation[]): Record<string, string> {
  return {
    'attestation-paths': written.map((w) => w.attestationPath).join('\n'),
    'bundle-paths': written.map((w) => w.bundlePath).join('\n'),
    results: JSON.stringify(
      written.map((w) => ({
        filename: w.filename,
        sha256: w.sha256,
        attestation: w.attestationPath,
        bundle: w.bundlePath,
        rekor_log_index: w.rekorLogIndex ?? null,
      })),
    ),
  };
}
