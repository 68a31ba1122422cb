// Where a dist's build provenance goes: `<dist>.slsa.sigstore.json` (the Sigstore bundle, for
// sigstore-python, cosign and `gh attestation verify`) and `<dist>.slsa.attestation` (the PEP 740 form
// PyPI takes). twine and uv upload every `<dist>.*.attestation` with its dist; this action's publish
// step finds them by these names.
import type { SidecarPaths } from '../engine/sidecars.ts';

export const BUILD_BUNDLE_SUFFIX = '.slsa.sigstore.json';
export const BUILD_ATTESTATION_SUFFIX = '.slsa.attestation';

export function buildSidecarPaths(distPath: string): SidecarPaths {
  return { bundlePath: distPath + BUILD_BUNDLE_SUFFIX, attestationPath: distPath + BUILD_ATTESTATION_SUFFIX };
}
