// The signing identity as the summary shows it, and the commands that verify a published file
// against it with tools nobody here wrote: PyPI's verifier, sigstore-python, cosign and the GitHub CLI.
import type { Claims } from '../pypi/claims.ts';
import type { FileReport, SigningReport } from './types.ts';

export const PUBLISH_PREDICATE = 'https://docs.pypi.org/attestations/publish/v1';
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** From the claims of the token the certificate was issued for; undefined when they name no workflow. */
export function signingReport(claims: Claims): SigningReport | undefined {
  const called = claims['job_workflow_ref'] ?? claims['workflow_ref'];
  if (typeof called !== 'string' || !called.includes('@')) return undefined;
  const [path = '', ref] = called.split('@');
  const repository = typeof claims['repository'] === 'string' ? claims['repository'] : path.split('/').slice(0, 2).join('/');
  return {
    repository,
    workflow: path.split('/').slice(2).join('/'),
    ref: ref ?? (typeof claims['ref'] === 'string' ? claims['ref'] : undefined),
    identity: `https://github.com/${called}`,
    issuer: typeof claims['iss'] === 'string' ? claims['iss'] : GITHUB_ISSUER,
  };
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/**
 * Shell commands that verify `file` (a published file of this run); `shown(path)` is how a local
 * path reads from the workspace. pypi-attestations fetches PyPI's provenance when the index is PyPI,
 * and reads the `.publish.attestation` this run wrote otherwise.
 */
export function verifyCommands(file: FileReport, signing: SigningReport, onPyPI: boolean, shown: (path: string) => string): string[] {
  const dist = quote(shown(file.path));
  const bundle = quote(shown(file.bundlePath ?? `${file.path}.sigstore.json`));
  const id = quote(signing.identity);
  const lines = ['# PyPI\'s verifier (pypi-attestations)'];
  if (onPyPI) lines.push(`pypi-attestations verify pypi --repository https://github.com/${signing.repository} pypi:${quote(file.filename)}`);
  else lines.push(`pypi-attestations verify attestation --identity ${id} ${dist}`);
  lines.push(
    '# sigstore-python, with the bundle this run wrote beside the dist',
    `python -m sigstore verify github --bundle ${bundle} --cert-identity ${id} --repository ${signing.repository}${signing.ref ? ` --ref ${quote(signing.ref)}` : ''} ${dist}`,
    '# cosign',
    `cosign verify-blob-attestation --new-bundle-format --bundle ${bundle} --type ${PUBLISH_PREDICATE} --certificate-identity ${id} --certificate-oidc-issuer ${signing.issuer} ${dist}`,
    '# GitHub CLI',
    `gh attestation verify ${dist} --bundle ${bundle} --repo ${signing.repository} --predicate-type ${PUBLISH_PREDICATE}`,
  );
  return lines;
}
