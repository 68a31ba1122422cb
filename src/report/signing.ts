// The signing identity as the summary shows it, and the commands that verify a published file
// against it with tools nobody here wrote: PyPI's verifier, sigstore-python, cosign and the GitHub CLI.
import { GITLAB_ISSUER } from '../gitlab/environment.ts';
import { isGitLabClaims, pipelineFilePath } from '../gitlab/publisher.ts';
import type { Claims } from '../pypi/claims.ts';
import { parseWorkflowRef } from '../pypi/workflow-ref.ts';
import type { FileReport, SigningReport } from './types.ts';

export const PUBLISH_PREDICATE = 'https://docs.pypi.org/attestations/publish/v1';
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** From the claims of the token the certificate was issued for; undefined when they name no workflow. */
export function signingReport(claims: Claims): SigningReport | undefined {
  if (isGitLabClaims(claims)) return gitLabSigning(claims);
  const called = claims['job_workflow_ref'] ?? claims['workflow_ref'];
  if (typeof called !== 'string' || !called.includes('@')) return undefined;
  const parsed = parseWorkflowRef(called);
  return {
    repository: typeof claims['repository'] === 'string' ? claims['repository'] : parsed.repository,
    workflow: parsed.file,
    ref: parsed.ref,
    identity: `https://github.com/${called}`,
    issuer: typeof claims['iss'] === 'string' ? claims['iss'] : GITHUB_ISSUER,
  };
}

/** A GitLab job's certificate: its SAN is the top-level pipeline file at the ref (Fulcio's gitlab-pipeline). */
function gitLabSigning(claims: Claims): SigningReport | undefined {
  const uri = claims['ci_config_ref_uri'];
  if (typeof uri !== 'string' || typeof claims['project_path'] !== 'string') return undefined;
  return {
    ci: 'gitlab',
    repository: claims['project_path'],
    workflow: pipelineFilePath(uri) ?? uri,
    ref: typeof claims['ref_path'] === 'string' ? claims['ref_path'] : undefined,
    identity: `https://${uri}`,
    issuer: GITLAB_ISSUER,
  };
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/**
 * Shell commands that verify `file` (a published file of this run), to paste into a shell;
 * `shown(path)` is how a local path reads from the workspace. pypi-attestations fetches PyPI's
 * provenance when the index is PyPI, and reads the `.publish.attestation` this run wrote otherwise.
 */
export function verifyCommands(file: FileReport, signing: SigningReport, onPyPI: boolean, shown: (path: string) => string): string[] {
  if (signing.ci === 'gitlab') return gitLabVerifyCommands(file, signing, onPyPI, shown);
  const bundle = file.bundlePath && file.bundlePath !== `${file.path}.sigstore.json` ? quote(shown(file.bundlePath)) : '"$FILE.sigstore.json"';
  const ref = signing.ref ? ` --ref ${quote(signing.ref)}` : '';
  return [
    `FILE=${quote(shown(file.path))}`,
    `ID=${quote(signing.identity)}`,
    "# PyPI's verifier (pypi-attestations)",
    onPyPI
      ? `pypi-attestations verify pypi --repository https://github.com/${signing.repository} pypi:${quote(file.filename)}`
      : 'pypi-attestations verify attestation --identity "$ID" "$FILE"',
    '# sigstore-python, with the bundle this run wrote beside the dist',
    `python -m sigstore verify github --bundle ${bundle} --cert-identity "$ID" \\`,
    `  --repository ${signing.repository}${ref} "$FILE"`,
    '# cosign',
    `cosign verify-blob-attestation --new-bundle-format --bundle ${bundle} --type ${PUBLISH_PREDICATE} \\`,
    `  --certificate-identity "$ID" --certificate-oidc-issuer ${signing.issuer} "$FILE"`,
    '# GitHub CLI',
    `gh attestation verify "$FILE" --bundle ${bundle} --repo ${signing.repository} \\`,
    `  --predicate-type ${PUBLISH_PREDICATE}`,
  ];
}

/** The same checks for a GitLab signer: sigstore-python and cosign take the identity and issuer; no GitHub CLI. */
function gitLabVerifyCommands(file: FileReport, signing: SigningReport, onPyPI: boolean, shown: (path: string) => string): string[] {
  const bundle = file.bundlePath && file.bundlePath !== `${file.path}.sigstore.json` ? quote(shown(file.bundlePath)) : '"$FILE.sigstore.json"';
  return [
    `FILE=${quote(shown(file.path))}`,
    `ID=${quote(signing.identity)}`,
    "# PyPI's verifier (pypi-attestations)",
    onPyPI
      ? `pypi-attestations verify pypi --repository https://gitlab.com/${signing.repository} pypi:${quote(file.filename)}`
      : 'pypi-attestations verify attestation --identity "$ID" "$FILE"',
    '# sigstore-python, with the bundle this run wrote beside the dist',
    `python -m sigstore verify identity --bundle ${bundle} --cert-identity "$ID" \\`,
    `  --cert-oidc-issuer ${signing.issuer} "$FILE"`,
    '# cosign',
    `cosign verify-blob-attestation --new-bundle-format --bundle ${bundle} --type ${PUBLISH_PREDICATE} \\`,
    `  --certificate-identity "$ID" --certificate-oidc-issuer ${signing.issuer} "$FILE"`,
  ];
}
