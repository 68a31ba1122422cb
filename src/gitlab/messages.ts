// What a GitLab job is told when Trusted Publishing fails: the cause in the index's own words (the
// caller quotes them), the claims PyPI matched on, and where the fix is.
import { type Claims, claimsDump } from '../pypi/claims.ts';
import { pipelineFilePath } from './publisher.ts';

const DOCS = 'https://docs.pypi.org/trusted-publishers/troubleshooting/';

export function gitLabTokenRetrievalFailed(identityError: string): string {
  return `OpenID Connect token retrieval failed: ${identityError}

GitLab puts each ID token in a variable when the job starts; see
https://docs.gitlab.com/ci/secrets/id_token_authentication/ and
https://docs.pypi.org/trusted-publishers/using-a-publisher/ (GitLab CI/CD).`;
}

/** The claims warehouse matches a GitLab token on, "for debugging purposes only" as the incumbent says it. */
export const RENDERED_GITLAB_CLAIMS = [
  'sub',
  'project_path',
  'namespace_path',
  'ci_config_ref_uri',
  'ref_path',
  'sha',
  'environment',
  'pipeline_source',
] as const;

export function renderGitLabClaims(claims: Claims): string {
  const value = (name: string) => (claims[name] === undefined ? 'MISSING' : String(claims[name]));
  const projectPath = value('project_path');
  const slash = projectPath.lastIndexOf('/');
  const file = pipelineFilePath(value('ci_config_ref_uri')) ?? 'MISSING';
  const environment = typeof claims['environment'] === 'string' ? claims['environment'] : undefined;
  return [
    ...claimsDump(RENDERED_GITLAB_CLAIMS, claims),
    '',
    'PyPI looked for a GitLab trusted publisher with exactly these fields:',
    `namespace \`${slash > 0 ? projectPath.slice(0, slash) : 'MISSING'}\`, project \`${slash > 0 ? projectPath.slice(slash + 1) : projectPath}\`,`,
    `top-level pipeline file \`${file}\`${environment ? ` and environment \`${environment}\` (or none)` : ' and no environment'}.`,
    "If the project's trusted publisher on PyPI (Manage project → Publishing) names another project,",
    'pipeline file or environment, publish from the job it names, or correct the publisher if this',
    'job is the one you meant to trust. The pipeline file is the top-level one (`ci_config_ref_uri`),',
    'even when the job comes from an `include:`.',
    '',
    `See ${DOCS} for more help.`,
  ].join('\n');
}
