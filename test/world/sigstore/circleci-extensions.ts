// The certificate Fulcio issues for a CircleCI job: its `circleci-job` CI provider (sigstore/fulcio
// config/identity/config.yaml, ci-issuer-metadata), rendered as its ci-provider principal renders
// templates: every claim formatted as a string (the boolean ssh-rerun as "true"/"false"), the
// defaults api_url https://circleci.com/api/v2 and platform_url https://app.circleci.com/ (a claim
// of the same name wins), and `index` of a missing claim empty, so no claim is required. Two
// templates render what they say, not what they mean, and the certificate holds it as rendered: the
// platform URL's slash doubled before "workflow", and a runner environment of `""` (two quote
// marks) for a job that is not an SSH rerun.
import type { ClaimExtension } from './ca.ts';
import { ciProviderExtensions, claimText, OID } from './fulcio-extensions.ts';

const DEFAULTS = { api_url: 'https://circleci.com/api/v2', platform_url: 'https://app.circleci.com/' };

function rendered(claims: Record<string, unknown>): (name: string) => string {
  const merged: Record<string, unknown> = { ...DEFAULTS, ...claims };
  return (name) => claimText(Object.hasOwn(merged, name) ? merged[name] : undefined);
}

export function circleCISubjectAltName(claims: Record<string, unknown>): string {
  const c = rendered(claims);
  return `${c('api_url')}/projects/${c('oidc.circleci.com/project-id')}/pipeline-definitions/${c('oidc.circleci.com/pipeline-definition-id')}`;
}

export function circleCIExtensions(claims: Record<string, unknown>): ClaimExtension[] {
  const c = rendered(claims);
  const values: Array<[string, string]> = [
    [OID.buildSignerURI, circleCISubjectAltName(claims)],
    [OID.runnerEnvironment, c('oidc.circleci.com/ssh-rerun') === 'true' ? 'ssh-rerun' : '""'],
    [OID.sourceRepositoryURI, c('oidc.circleci.com/vcs-origin')],
    [OID.sourceRepositoryRef, c('oidc.circleci.com/vcs-ref')],
    [OID.buildConfigURI, `${c('api_url')}/pipeline/${c('oidc.circleci.com/pipeline-id')}/config`],
    [OID.runInvocationURI, `${c('platform_url')}/workflow/${c('oidc.circleci.com/workflow-id')}/job/${c('oidc.circleci.com/job-id')}`],
    [OID.tokenSubject, c('sub')],
  ];
  return ciProviderExtensions(c('iss'), values);
}
