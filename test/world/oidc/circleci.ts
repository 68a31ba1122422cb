// A stand-in for CircleCI's job ID tokens (`circleci run oidc get --claims '{"aud": "sigstore"}'`),
// from the issuer public-good Fulcio lists for CircleCI, https://oidc.circleci.com. The claim set is
// CircleCI's (circleci.com docs, "OpenID Connect tokens", and the claims Fulcio's circleci-job
// templates read): `sub` org/…/project/…/user/…, the job's ids under oidc.circleci.com/, the
// repository and ref that triggered the pipeline (absent for a custom webhook: pass `null`), and
// whether the job is an SSH rerun (a boolean). A test asks POST /_world/circleci/id_tokens.
//
// Default job: project 5f2b…, pipeline definition 0c8e…, github.com/octo-org/sampleproject at
// refs/tags/v1.0.0, not an SSH rerun.
import type { ClaimValue, Overrides } from './claims.ts';
import { createJobIssuer, type JobIssuer } from './job-issuer.ts';

export const CIRCLECI_ISSUER = 'https://oidc.circleci.com';
/**
 * CircleCI's own tokens name their organization's issuer, https://oidc.circleci.com/org/<org id>,
 * which public-good Fulcio takes as this meta-issuer; a test asks for one with an `iss` claim.
 */
export const CIRCLECI_ORG_ISSUERS = 'https://oidc.circleci.com/org/*';
const CLAIM = 'oidc.circleci.com/';
// CircleCI's tokens live an hour.
const LIFETIME_S = 60 * 60;

export const CIRCLECI_DEFAULTS = {
  org: '3c7e5d1a-7b4f-4f0e-9a51-2f1c9e0b6d42',
  project: '5f2b9c1e-8d3a-4e7b-b6c0-1a9d2e4f7c35',
  user: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  pipelineDefinition: '0c8e1f2a-3b4c-4d5e-9f6a-7b8c9d0e1f2a',
  vcsOrigin: 'github.com/octo-org/sampleproject',
  vcsRef: 'refs/tags/v1.0.0',
} as const;

/** The claim set of a CircleCI job (without iss/aud/iat/nbf/exp/jti) for `overrides`. */
export function circleCIClaims(overrides: Overrides): Record<string, ClaimValue> {
  const d = CIRCLECI_DEFAULTS;
  const origin = overrides[`${CLAIM}vcs-origin`] === undefined ? d.vcsOrigin : overrides[`${CLAIM}vcs-origin`];
  const ref = overrides[`${CLAIM}vcs-ref`] === undefined ? d.vcsRef : overrides[`${CLAIM}vcs-ref`];
  const vcs = origin === null || ref === null ? '' : `/vcs-origin/${origin}/vcs-ref/${ref}`;
  const claims: Record<string, ClaimValue | null> = {
    sub: `org/${d.org}/project/${d.project}/user/${d.user}${vcs}`,
    [`${CLAIM}org-id`]: d.org,
    [`${CLAIM}project-id`]: d.project,
    [`${CLAIM}pipeline-id`]: 'b1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    [`${CLAIM}pipeline-definition-id`]: d.pipelineDefinition,
    [`${CLAIM}workflow-id`]: 'c2d3e4f5-b6a7-4d8e-9f0a-1b2c3d4e5f6a',
    [`${CLAIM}job-id`]: 'd3e4f5a6-c7b8-4e9f-8a0b-2c3d4e5f6a7b',
    [`${CLAIM}vcs-origin`]: d.vcsOrigin,
    [`${CLAIM}vcs-ref`]: d.vcsRef,
    [`${CLAIM}ssh-rerun`]: false,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter((e): e is [string, ClaimValue] => e[1] !== null));
}

/** `journal` receives every token handed out, so tests can scan what was printed for any of them. */
export function createCircleCIIssuer(journal: (secret: string) => void = () => {}): Promise<JobIssuer> {
  return createJobIssuer(
    {
      issuer: CIRCLECI_ISSUER,
      base: '/circleci',
      jwksPath: '/.well-known/jwks-pub.json',
      control: '/_world/circleci/id_tokens',
      claims: circleCIClaims,
      lifetime: LIFETIME_S,
      metaIssuer: CIRCLECI_ORG_ISSUERS,
    },
    journal,
  );
}
