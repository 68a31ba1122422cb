// Does a verified signing certificate belong to the publisher the provenance names? The policies of
// pypi-attestations (`GitHubPublisher`, `GitLabPublisher`, `GooglePublisher`, `CircleCIPublisher` →
// `_as_policy()`, 0.0.31), which `pypi-attestations verify pypi` applies to every attestation of a
// provenance bundle: the issuer, the source repository and the Build Config URI for GitHub and
// GitLab, the e-mail and issuer for Google; for CircleCI the issuer, the repository and ref that
// triggered the pipeline when the publisher names them, and the Build Signer URI, which names the
// project and the pipeline definition.
import type { Signer } from '@sigstore/verify';
import { VerificationFailure } from '../sigstore/errors.ts';
import { GITHUB_ISSUER, OID, claim, extensionValues, matches } from '../sigstore/verify.ts';
import type { OIDValues } from '../sigstore/verify.ts';
import type { PublisherIdentity } from './types.ts';

const GITLAB_ISSUER = 'https://gitlab.com';
const GOOGLE_ISSUER = 'https://accounts.google.com';
const CIRCLECI_ISSUER = 'https://oidc.circleci.com';
// Fulcio's original issuer extension (.1.1) holds the raw string, not a DER UTF8String.
const ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';

function refuse(message: string): never {
  throw new VerificationFailure('VERIFY_REPOSITORY', message);
}

// GitHub, GitLab and Google: a field pypi-attestations needs, which no empty string could satisfy.
function requireString(identity: PublisherIdentity, field: string): string {
  const value = stringField(identity, field, false)!;
  if (value === '') refuse(`the provenance's ${identity.kind} publisher has no ${field}`);
  return value;
}

// sigstore-python's OIDCIssuerV2.
function checkIssuer(exts: OIDValues, issuer: string): void {
  if (!matches(exts, OID.issuerV2, issuer)) refuse(`the certificate was issued for ${claim(exts, OID.issuerV2) ?? '(no issuer)'}, not ${issuer}`);
}

// sigstore-python's single-extension policies (OIDCSourceRepositoryURI, OIDCSourceRepositoryRef).
function checkExtension(exts: OIDValues, oid: string, name: string, expected: string): void {
  if (!matches(exts, oid, expected)) refuse(`the certificate's ${name} is ${claim(exts, oid) ?? '(missing)'}, not ${expected}`);
}

// OIDCIssuerV2 + OIDCSourceRepositoryURI, then the Build Config URI rebuilt from the publisher with the
// certificate's own commit digest or ref as suffix (either may match).
function checkForge(exts: OIDValues, issuer: string, repoURI: string, buildConfigBase: string, suffixes: Array<string | undefined>): void {
  checkIssuer(exts, issuer);
  checkExtension(exts, OID.sourceRepositoryURI, 'Source Repository URI', repoURI);
  const present = suffixes.filter((s): s is string => s !== undefined);
  if (present.length === 0) refuse('Certificate must contain either Source Repository Digest or Source Repository Ref');
  if (present.some((suffix) => matches(exts, OID.buildConfigURI, buildConfigBase + suffix))) return;
  refuse(`the certificate's Build Config URI ${claim(exts, OID.buildConfigURI) ?? '(missing)'} does not match ${buildConfigBase}<ref or commit>`);
}

function checkGoogle(signer: Signer, exts: OIDValues, email: string): void {
  const issuer = exts.get(ISSUER_V1)?.toString('utf8');
  if (issuer !== GOOGLE_ISSUER) refuse(`the certificate was issued for ${issuer ?? '(no issuer)'}, not ${GOOGLE_ISSUER}`);
  if (signer.identity?.subjectAlternativeName !== email) {
    refuse(`the certificate was issued to ${signer.identity?.subjectAlternativeName ?? '(no identity)'}, not ${email}`);
  }
}

// pydantic's `str` and `str | None`: any string, the empty one too (a CircleCI token without a project
// id gets a Build Signer URI with an empty segment, which an empty project_id matches).
function stringField(identity: PublisherIdentity, field: string, optional: boolean): string | undefined {
  const value = identity[field];
  if (optional && (value === undefined || value === null)) return undefined;
  if (typeof value !== 'string') refuse(`the provenance's ${identity.kind} publisher has no ${field}`);
  return value;
}

function checkCircleCI(exts: OIDValues, publisher: PublisherIdentity): void {
  const project = stringField(publisher, 'project_id', false);
  const definition = stringField(publisher, 'pipeline_definition_id', false);
  const origin = stringField(publisher, 'vcs_origin', true);
  const ref = stringField(publisher, 'vcs_ref', true);
  checkIssuer(exts, CIRCLECI_ISSUER);
  if (origin !== undefined) checkExtension(exts, OID.sourceRepositoryURI, 'Source Repository URI', origin);
  if (ref !== undefined) checkExtension(exts, OID.sourceRepositoryRef, 'Source Repository Ref', ref);
  const signer = `https://circleci.com/api/v2/projects/${project}/pipeline-definitions/${definition}`;
  if (!matches(exts, OID.buildSignerURI, signer)) {
    refuse(`the certificate's Build Signer URI ${claim(exts, OID.buildSignerURI) ?? '(missing)'} does not match ${signer}`);
  }
}

/** Throws a VerificationFailure when the certificate does not satisfy the publisher's policy. */
export function checkPublisherPolicy(signer: Signer, publisher: PublisherIdentity): void {
  const exts = extensionValues(signer);
  const digest = claim(exts, OID.sourceRepositoryDigest);
  const ref = claim(exts, OID.sourceRepositoryRef);
  switch (publisher.kind) {
    case 'GitHub': {
      const repo = requireString(publisher, 'repository');
      const workflow = requireString(publisher, 'workflow');
      checkForge(exts, GITHUB_ISSUER, `https://github.com/${repo}`, `https://github.com/${repo}/.github/workflows/${workflow}@`, [digest, ref]);
      return;
    }
    case 'GitLab': {
      const repo = requireString(publisher, 'repository');
      const path = requireString(publisher, 'workflow_filepath');
      // pypi-attestations needs both the digest and the ref of a GitLab certificate.
      if (digest === undefined || ref === undefined) refuse('the GitLab certificate lacks its Source Repository Digest or Ref');
      checkForge(exts, GITLAB_ISSUER, `https://gitlab.com/${repo}`, `https://gitlab.com/${repo}//${path}@`, [digest, ref]);
      return;
    }
    case 'Google':
      checkGoogle(signer, exts, requireString(publisher, 'email'));
      return;
    case 'CircleCI':
      checkCircleCI(exts, publisher);
      return;
    default:
      refuse(`unknown publisher kind ${JSON.stringify(publisher.kind)}`);
  }
}
