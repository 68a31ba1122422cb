// GitHub Actions ID-token claims for the world's scenarios. A scenario is a set of overrides on the
// default publisher (docs/architecture.md: octo-org/sampleproject, owner id 1001, release.yml,
// refs/tags/v1.0.0, push, no environment). Overriding a base fact (repository, ref, sha, event_name,
// environment, workflow_ref) also re-derives the claims GitHub computes from it (sub, ref_type,
// workflow_ref, job_workflow_ref, …); overriding a derived claim directly wins; `null` removes a claim.

export type ClaimValue = string | number | boolean;
export type Overrides = Record<string, ClaimValue | null>;

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export const PRESETS: Record<string, Overrides> = {
  // The publishing job calls a reusable workflow: job_workflow_ref names the called file, while
  // workflow_ref (and so the certificate's Build Config URI) stays the caller.
  'reusable-workflow': {
    job_workflow_ref: 'octo-org/sampleproject/.github/workflows/reusable-publish.yml@refs/tags/v1.0.0',
  },
  // GitHub gives fork PRs no id-token permission at all; this preset is for tests of what the claims
  // of a pull_request run look like when a token does exist (same-repo PR).
  'fork-pull-request': {
    event_name: 'pull_request',
    ref: 'refs/pull/7/merge',
    head_ref: 'contributor-patch',
    base_ref: 'main',
    actor: 'fork-contributor',
  },
  'pull-request-target': { event_name: 'pull_request_target', ref: 'refs/heads/main', head_ref: 'contributor-patch', base_ref: 'main' },
  environment: { environment: 'pypi' },
};

const DEFAULT_SHA = '4f2b5a6c1d8e9f00112233445566778899aabbcc';

function text(overrides: Overrides, key: string, fallback: string): string {
  const v = overrides[key];
  return v === undefined || v === null ? fallback : String(v);
}

/** The claim set (without iss/aud/iat/nbf/exp/jti) for `overrides`. */
export function scenarioClaims(overrides: Overrides): Record<string, ClaimValue> {
  const repository = text(overrides, 'repository', 'octo-org/sampleproject');
  const owner = text(overrides, 'repository_owner', repository.split('/')[0] ?? '');
  const ref = text(overrides, 'ref', 'refs/tags/v1.0.0');
  const sha = text(overrides, 'sha', DEFAULT_SHA);
  const event = text(overrides, 'event_name', 'push');
  const environment = overrides.environment ?? undefined;
  const workflowRef = text(overrides, 'workflow_ref', `${repository}/.github/workflows/release.yml@${ref}`);
  const isPullRequest = event === 'pull_request' || event === 'pull_request_target';
  // GitHub's default subject template.
  const sub =
    environment !== undefined
      ? `repo:${repository}:environment:${environment}`
      : isPullRequest
        ? `repo:${repository}:pull_request`
        : `repo:${repository}:ref:${ref}`;

  const claims: Record<string, ClaimValue | null> = {
    sub,
    repository,
    repository_owner: owner,
    repository_owner_id: '1001',
    repository_id: '2002',
    repository_visibility: 'public',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: 'false',
    sha,
    head_ref: '',
    base_ref: '',
    event_name: event,
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    ...(environment !== undefined ? { environment } : {}),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter((e): e is [string, ClaimValue] => e[1] !== null));
}
