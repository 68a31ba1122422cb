// PyPI's GitLab Trusted Publisher as an attestation identity (warehouse
// GitLabPublisher.attestation_identity): namespace/project and the top-level pipeline file's path,
// from the token's claims. The policy that checks a certificate against it is policy.ts (loaded with
// the Sigstore stack, only when attestations are made).
import type { Claims } from '../pypi/claims.ts';
import type { PublisherIdentity } from '../sigstore/types.ts';
import { GITLAB_ISSUER } from './environment.ts';

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
