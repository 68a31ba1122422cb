// The certificate Fulcio issues for a GitLab job: its `gitlab-pipeline` CI provider
// (sigstore/fulcio config/identity/config.yaml, ci-issuer-metadata), with `url` https://gitlab.com.
// The SAN is https://<ci_config_ref_uri>; an extension whose template renders empty (no environment,
// no ci_config_sha) is left out, as Fulcio's ciprovider principal does. GitLab has none of the
// deprecated GitHub-only extensions (.1.2–.1.6).
import type { ClaimExtension } from './ca.ts';

const URL_BASE = 'https://gitlab.com';

const OID = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  issuerV2: '1.3.6.1.4.1.57264.1.8',
  buildSignerURI: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryURI: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  sourceRepositoryIdentifier: '1.3.6.1.4.1.57264.1.15',
  sourceRepositoryOwnerURI: '1.3.6.1.4.1.57264.1.16',
  sourceRepositoryOwnerIdentifier: '1.3.6.1.4.1.57264.1.17',
  buildConfigURI: '1.3.6.1.4.1.57264.1.18',
  buildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationURI: '1.3.6.1.4.1.57264.1.21',
  sourceRepositoryVisibility: '1.3.6.1.4.1.57264.1.22',
  deploymentEnvironment: '1.3.6.1.4.1.57264.1.23',
  tokenSubject: '1.3.6.1.4.1.57264.1.24',
} as const;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Fulcio refuses a GitLab token without these: its templates cannot render (a 400 with its message). */
export const GITLAB_REQUIRED_CLAIMS = ['ci_config_ref_uri', 'project_path', 'namespace_path', 'ref', 'ref_type', 'sha', 'job_id'] as const;

export function gitLabSubjectAltName(claims: Record<string, unknown>): string {
  return `https://${str(claims.ci_config_ref_uri)}`;
}

export function gitLabExtensions(claims: Record<string, unknown>): ClaimExtension[] {
  const c = (name: string) => str(claims[name]);
  const refKind = c('ref_type') === 'branch' ? 'heads' : 'tags';
  const values: Array<[string, string]> = [
    [OID.issuerV2, c('iss')],
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
  return [{ oid: OID.issuerV1, value: c('iss'), legacy: true }, ...values.filter(([, value]) => value !== '').map(([oid, value]) => ({ oid, value }))];
}
