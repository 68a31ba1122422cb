// Machine-readable results: a JSON list with one object per file, plus newline-separated lists of
// the sidecar paths for the steps that upload them elsewhere (release assets, artifacts).
import type { FileReport } from './types.ts';

export function resultOutputs(files: FileReport[]): Record<string, string> {
  const results = files.map((f) => ({
    filename: f.filename,
    sha256: f.sha256 ?? null,
    status: f.status,
    reason: f.reason ?? null,
    url: f.url ?? null,
    provenance_url: f.provenanceUrl ?? null,
    bundle: f.bundlePath ?? null,
    attestation: f.attestationPath ?? null,
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
