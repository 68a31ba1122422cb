// GitLab CI/CD as the engine sees it: a job is recognised by GITLAB_CI (set by every GitLab runner;
// the `id` package, which twine and sigstore-python use, tests the same variable), and its ID tokens
// are variables named after their audience, as `id_tokens:` in .gitlab-ci.yml declares them.

export const GITLAB_ISSUER = 'https://gitlab.com';

export type Environment = Readonly<Record<string, string | undefined>>;

/** True in a GitLab CI/CD job. */
export function isGitLabJob(env: Environment): boolean {
  return Boolean(env['GITLAB_CI']);
}

/**
 * The variable that holds the ID token for `audience`: `<AUD>_ID_TOKEN`, the audience upper-cased with
 * every character outside A–Z, 0–9 and `_` (and a leading digit) replaced by `_` — the `id` package's
 * rule, so one `id_tokens:` entry serves twine, uv, sigstore-python and this CLI alike.
 */
export function idTokenVariable(audience: string): string {
  return `${audience.toUpperCase().replace(/[^A-Z0-9_]|^[^A-Z_]/g, '_')}_ID_TOKEN`;
}

/** The `id_tokens:` entries a publishing job needs, as YAML lines indented under the job. */
export function idTokensSnippet(audiences: string[]): string {
  const entries = audiences.flatMap((aud) => [`    ${idTokenVariable(aud)}:`, `      aud: ${aud}`]);
  return ['publish:', '  id_tokens:', ...entries].join('\n');
}
