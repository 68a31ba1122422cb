// The certificate Fulcio issues for a GitLab job: its `gitlab-pipeline` CI provider
// (sigstore/fulcio config/identity/config.yaml, ci-issuer-metadata), with `url` https://gitlab.com.
// The SAN is https://<ci_config_ref_uri>; an extension whose template renders empty (no environment,
// no ci_config_sha) is left out, as Fulcio's ciprovider principal does. GitLab has none of the
// deprecated GitHub-only extensions (.1.2–.1.6).
import type { ClaimExtension } from './ca.ts';
import { ciProviderExtensions, claimText, OID } from './fulcio-extensions.ts';

const URL_BASE = 'https://gitlab.com';
const str = claimText;

/** Fulcio refuses a GitLab token without these: its templates cannot render (a 400 with its message). */
export const GITLAB_REQUIRED_CLAIMS = ['ci_config_ref_uri', 'project_path', 'namespace_path', 'ref', 'ref_type', 'sha', 'job_id'] as const;

export function gitLabSubjectAltName(claims: Record<string, unknown>): string {
  return `https://${str(claims.ci_config_ref_uri)}`;
}

export function gitLabExtensions(claims: Record<string, unknown>): ClaimExtension[] {
  const c = (name: string) => str(claims[name]);
  const refKind = c('ref_type') === 'branch' ? 'heads' : 'tags';
  const values: Array<[string, string]> = [
    [OID.buildSignerURI, `https://${c('ci_config_ref_uri')}`],
    [OID.buildSignerDigest, c('ci_config_sha')],
    [OID.runnerEnvironment, c('runner_environment')],
    [OID.sourceRepositoryURI, `${URL_BASE}/${c('project_path')}`],
    [OID.sourceRepositoryDigest, c('sha')],
    [OID.sourceRepositoryRef, `refs/${refKind}/${c('ref')}`],
    [OID.sourceRepositoryIdentifier, c('project_id')],
    [OID.sourceRepositoryOwnerURI, `${URL_BASE}/${c('namespace_path')}`],
    [OID.sourceRepositoryOwnerIdentifier, c('namespace_id')],
    [OID.buildConfigURI, `https://${c('ci_config_ref_uri')}`],
    [OID.buildConfigDigest, c('ci_config_sha')],
    [OID.buildTrigger, c('pipeline_source')],
    [OID.runInvocationURI, `${URL_BASE}/${c('project_path')}/-/jobs/${c('job_id')}`],
    [OID.sourceRepositoryVisibility, c('project_visibility')],
    [OID.deploymentEnvironment, c('environment')],
    [OID.tokenSubject, c('sub')],
  ];
  return ciProviderExtensions(c('iss'), values);
}
