// The policy PyPI checks a GitLab attestation's certificate with (pypi-attestations
// _GitLabTrustedPublisherPolicy): Issuer V2 is https://gitlab.com, Source Repository URI is
// https://gitlab.com/<project_path>, and the Build Config URI is
// https://gitlab.com/<project_path>//<pipeline file>@<sha or ref>, where sha and ref are the
// certificate's own Source Repository Digest and Ref, both required.
import { VerificationFailure } from '../sigstore/errors.ts';
import type { PublisherIdentity } from '../sigstore/types.ts';
import { claim, matches, OID, type OIDValues } from '../sigstore/verify.ts';
import { GITLAB_ISSUER } from './environment.ts';
import { pipelineFilePath } from './publisher.ts';

function fail(code: VerificationFailure['code'], message: string): never {
  throw new VerificationFailure(code, message);
}

/** pypi-attestations' GitLab policy over the verified certificate's extensions. */
export function checkGitLabPublisher(exts: OIDValues, identity: PublisherIdentity): void {
  if (!matches(exts, OID.issuerV2, GITLAB_ISSUER)) {
    const issuer = claim(exts, OID.issuerV2);
    fail(
      'VERIFY_ISSUER',
      `the signing certificate was issued for OIDC issuer ${issuer ?? '(none)'}, but PyPI only accepts ${GITLAB_ISSUER} for a GitLab trusted publisher`,
    );
  }
  const repoURI = `https://gitlab.com/${identity.repository}`;
  if (!matches(exts, OID.sourceRepositoryURI, repoURI)) {
    fail(
      'VERIFY_REPOSITORY',
      `the certificate's Source Repository URI is ${claim(exts, OID.sourceRepositoryURI) ?? '(missing)'} but PyPI expects ${repoURI} — the job ran in another project than the trusted publisher names`,
    );
  }
  const buildConfig = claim(exts, OID.buildConfigURI);
  const sha = claim(exts, OID.sourceRepositoryDigest);
  const ref = claim(exts, OID.sourceRepositoryRef);
  if (buildConfig === undefined || sha === undefined || ref === undefined) {
    fail(
      'VERIFY_BUILD_CONFIG',
      'the signing certificate lacks a Build Config URI, Source Repository Digest or Source Repository Ref extension, all of which PyPI needs for a GitLab trusted publisher',
    );
  }
  const base = `https://gitlab.com/${identity.repository}//${identity.workflow}@`;
  if (matches(exts, OID.buildConfigURI, base + sha) || matches(exts, OID.buildConfigURI, base + ref)) return;
  // The URI's own `https://` would be taken for the `//` before the path.
  const actualFile = pipelineFilePath(buildConfig.replace(/^https:\/\//, ''));
  const why =
    actualFile && actualFile !== identity.workflow
      ? `the certificate names pipeline file ${actualFile}, the trusted publisher ${identity.workflow}`
      : `the pipeline ran at ${buildConfig.split('@').pop()}, which is neither the certificate's ref (${ref}) nor its commit (${sha}) — a merge request or other ref whose pipeline file PyPI cannot match`;
  fail(
    'VERIFY_BUILD_CONFIG',
    `Certificate's Build Config URI (${buildConfig}) does not match expected Trusted Publisher (${identity.workflow} @ ${identity.repository}): ${why}.`,
  );
}
