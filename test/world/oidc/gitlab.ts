// A stand-in for GitLab's ID tokens (`id_tokens:` in .gitlab-ci.yml). GitLab hands a job its tokens
// as variables when the job starts, one per `id_tokens:` entry with the audience that entry names; a
// test asks the world for them (POST /_world/gitlab/id_tokens) and puts them in the job's
// environment as GitLab would (PYPI_ID_TOKEN, SIGSTORE_ID_TOKEN). The claim set is GitLab's
// (docs.gitlab.com, "ID token authentication"): every value a string except runner_id, `sub` built
// from project_path, ref_type and ref, `ci_config_ref_uri` naming the top-level pipeline file after
// `//`. Keys are served as JWKS at /gitlab/oauth/discovery/keys, the path gitlab.com serves them on.
//
// Default job (docs/architecture.md): project octo-group/sampleproject (namespace id 72, project
// id 20), pipeline file .gitlab-ci.yml, tag v1.0.0, push pipeline, gitlab-hosted runner, no
// environment. Overriding a base fact (project_path, ref, ref_type, sha, environment,
// ci_config_path) re-derives what GitLab computes from it; overriding a derived claim wins; `null`
// removes a claim.
import type { ClaimValue, Overrides } from './claims.ts';
import { createJobIssuer, type JobIssuer } from './job-issuer.ts';

export const GITLAB_ISSUER = 'https://gitlab.com';
/** The path of GitLab's JWKS under the issuer (its discovery document's jwks_uri). */
export const GITLAB_JWKS_PATH = '/gitlab/oauth/discovery/keys';

// GitLab's default ID token lifetime is the job's; a job of ours is short.
const LIFETIME_S = 60 * 60;
const DEFAULT_SHA = '7d2c4e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d';

function text(overrides: Overrides, key: string, fallback: string): string {
  const v = overrides[key];
  return v === undefined || v === null ? fallback : String(v);
}

/** The claim set of a GitLab job (without iss/aud/iat/nbf/exp/jti) for `overrides`. */
export function gitLabClaims(overrides: Overrides): Record<string, ClaimValue> {
  const projectPath = text(overrides, 'project_path', 'octo-group/sampleproject');
  const namespacePath = text(overrides, 'namespace_path', projectPath.slice(0, projectPath.lastIndexOf('/')));
  const ref = text(overrides, 'ref', 'v1.0.0');
  const refType = text(overrides, 'ref_type', 'tag');
  const refPath = text(overrides, 'ref_path', `refs/${refType === 'tag' ? 'tags' : 'heads'}/${ref}`);
  const sha = text(overrides, 'sha', DEFAULT_SHA);
  const configPath = text(overrides, 'ci_config_path', '.gitlab-ci.yml');
  const environment = overrides.environment ?? undefined;
  const claims: Record<string, ClaimValue | null> = {
    namespace_id: '72',
    namespace_path: namespacePath,
    project_id: '20',
    project_path: projectPath,
    user_id: '1',
    user_login: 'maintainer',
    user_email: 'maintainer@example.com',
    user_access_level: 'maintainer',
    pipeline_id: '574',
    pipeline_source: 'push',
    job_id: '302',
    ref,
    ref_type: refType,
    ref_path: refPath,
    ref_protected: 'true',
    runner_id: 1,
    runner_environment: 'gitlab-hosted',
    sha,
    project_visibility: 'public',
    ci_config_ref_uri: `gitlab.com/${projectPath}//${configPath}@${refPath}`,
    ci_config_sha: sha,
    ...(environment !== undefined ? { environment, environment_protected: 'false', deployment_tier: 'production', environment_action: 'start' } : {}),
    sub: `project_path:${projectPath}:ref_type:${refType}:ref:${ref}`,
    ...overrides,
  };
  delete claims.ci_config_path;
  return Object.fromEntries(Object.entries(claims).filter((e): e is [string, ClaimValue] => e[1] !== null));
}

export type GitLabIssuer = JobIssuer;

/** `journal` receives every token handed out, so tests can scan what the CLI printed for any of them. */
export function createGitLabIssuer(journal: (secret: string) => void = () => {}): Promise<GitLabIssuer> {
  return createJobIssuer(
    {
      issuer: GITLAB_ISSUER,
      base: '/gitlab',
      jwksPath: '/oauth/discovery/keys',
      control: '/_world/gitlab/id_tokens',
      claims: gitLabClaims,
      lifetime: LIFETIME_S,
    },
    journal,
  );
}
