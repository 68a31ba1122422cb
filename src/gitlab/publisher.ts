// PyPI's GitLab Trusted Publisher as an attestation identity (warehouse
// GitLabPublisher.attestation_identity): namespace/project and the top-level pipeline file's path,
// from the token's claims. The policy that checks a certificate against it is policy.ts (loaded with
// the Sigstore stack, only when attestations are made).
import type { Claims } from '../pypi/claims.ts';
import type { PublisherIdentity } from '../sigstore/types.ts';
import { GITLAB_ISSUER, type Environment } from './environment.ts';

/** True for the claims of a GitLab ID token. */
export function isGitLabClaims(claims: Claims): boolean {
  return claims['iss'] === GITLAB_ISSUER || typeof claims['ci_config_ref_uri'] === 'string';
}

/**
 * The pipeline file's path in a `ci_config_ref_uri` (gitlab.com/NS/PROJECT//PATH/FILE.yml@REF): after
 * the `//`, ending in .yml or .yaml with a non-empty base name (one character will do), up to the `@`
 * (warehouse's pattern).
 */
export function pipelineFilePath(ciConfigRefUri: string): string | undefined {
  return /(?<=\/\/)(.*[^/]\.(yml|yaml))(?=@)/.exec(ciConfigRefUri)?.[0];
}

/**
 * This job's publisher before any token, as GitLab names it: the project path and the top-level
 * pipeline file (CI_PROJECT_PATH, CI_CONFIG_PATH, which is .gitlab-ci.yml unless the project sets
 * another); what its ID token's project_path and ci_config_ref_uri will say. Undefined outside a job.
 */
export function gitLabRunPublisher(env: Environment): PublisherIdentity | undefined {
  const repository = env['CI_PROJECT_PATH'];
  if (!repository) return undefined;
  const tag = env['CI_COMMIT_TAG'];
  const branch = env['CI_COMMIT_BRANCH'];
  return {
    kind: 'gitlab',
    repository,
    workflow: env['CI_CONFIG_PATH'] || '.gitlab-ci.yml',
    ref: tag ? `refs/tags/${tag}` : branch ? `refs/heads/${branch}` : undefined,
    sha: env['CI_COMMIT_SHA'],
  };
}

export function gitLabPublisherIdentity(claims: Claims): PublisherIdentity {
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  return {
    kind: 'gitlab',
    repository: text('project_path') ?? '',
    workflow: pipelineFilePath(text('ci_config_ref_uri') ?? '') ?? '',
    ref: text('ref_path'),
    sha: text('sha'),
  };
}
