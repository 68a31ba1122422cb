// Machine-readable results: a JSON list with one object per file, plus newline-separated lists of
// the sidecar paths for the steps that upload them elsewhere (release assets, artifacts).
// `all-published` says every file name is taken on the index; with skip-existing a skipped file may be
// another build's (its `index_sha256` differs from `sha256`): check `results` when that matters.
import type { FileReport } from './types.ts';

export function resultOutputs(files: FileReport[]): Record<string, string> {
  const results = files.map((f) => ({
    filename: f.filename,
    sha256: f.sha256 ?? null,
    // Set only for a file skipped although the index's file of this name differs (skip-existing).
    index_sha256: f.indexSha256 ?? null,
    status: f.status,
    reason: f.reason ?? null,
    url: f.url ?? null,
    provenance_url: f.provenanceUrl ?? null,
    bundle: f.bundlePath ?? null,
    attestation: f.attestationPath ?? null,
    provenance_served: f.servedProvenance ?? null,
  }));
  const ok = (s: FileReport['status']) => s === 'uploaded' || s === 'already-present' || s === 'skipped';
  return {
    results: JSON.stringify(results),
    'bundle-paths': files.flatMap((f) => (f.bundlePath ? [f.bundlePath] : [])).join('\n'),
    'attestation-paths': files.flatMap((f) => (f.attestationPath ? [f.attestationPath] : [])).join('\n'),
    'uploaded-count': String(files.filter((f) => f.status === 'uploaded').length),
    'all-published': String(files.length > 0 && files.every((f) => ok(f.status))),
  };
}
