// GitLab CI/CD OIDC: GitLab gives a job one ID token per `id_tokens:` entry, as a variable, when the
// job starts; nothing is requested at run time. The token for an audience is read from
// `<AUD>_ID_TOKEN` (environment.ts) and never from an argument (a command line is readable by every
// process on the machine). A token is handed to `onSecret` (log masking) before anything else.
import { decodeClaims } from '../pypi/claims.ts';
import { IdentityError } from '../sigstore/errors.ts';
import { SIGSTORE_AUDIENCE, type IdentityProvider } from '../sigstore/types.ts';
import { idTokensSnippet, idTokenVariable, type Environment } from './environment.ts';

export interface GitLabIdentityOptions {
  env: Environment;
  onSecret?: (secret: string) => void;
}

// Both audiences, always: a job that lacks one usually lacks both, and the fix is one edit.
const PUBLISH_AUDIENCES = ['pypi', 'sigstore'];

function missingToken(audience: string, variable: string): IdentityError {
  const audiences = PUBLISH_AUDIENCES.includes(audience) ? PUBLISH_AUDIENCES : [audience, 'sigstore'];
  return new IdentityError(
    'OIDC_ID_TOKEN',
    `GitLab gave this job no ID token for audience "${audience}": the variable ${variable} is not set. ` +
      `GitLab creates it only for an \`id_tokens:\` entry of the job in .gitlab-ci.yml ` +
      `(Trusted Publishing needs the index's audience${audience === 'sigstore' ? ', "pypi" for PyPI' : ` "${audience}"`}, Sigstore signing needs "sigstore"). ` +
      `Add to the publishing job:\n\n${idTokensSnippet(audiences)}\n`,
  );
}

export function createGitLabIdentityProvider({ env, onSecret }: GitLabIdentityOptions): IdentityProvider {
  return {
    platform: 'gitlab-ci',
    async getToken(audience: string): Promise<string> {
      const variable = idTokenVariable(audience);
      const token = env[variable]?.trim();
      if (!token) throw missingToken(audience, variable);
      onSecret?.(token);
      if (token.split('.').length !== 3)
        throw new IdentityError('OIDC_RESPONSE', `${variable} does not hold a JWT (an ID token has three dot-separated parts)`);
      // An entry with another `aud:` gives a token the index or Fulcio refuses with no word of why.
      const aud = decodeClaims(token)['aud'];
      const audiences = Array.isArray(aud) ? aud : [aud];
      if (!audiences.includes(audience)) {
        throw new IdentityError(
          'OIDC_ID_TOKEN',
          `${variable} holds an ID token for audience ${JSON.stringify(aud)}, not "${audience}": set \`aud: ${audience}\` in its \`id_tokens:\` entry.`,
        );
      }
      // PyPI decodes the token with PyJWT's strict_aud: an audience given as a list is refused as
      // "malformed or invalid token" even when it holds the index's. Fulcio takes a list.
      if (Array.isArray(aud) && audience !== SIGSTORE_AUDIENCE) {
        throw new IdentityError(
          'OIDC_ID_TOKEN',
          `${variable} holds an ID token for the audiences ${JSON.stringify(aud)}, and PyPI accepts only a token with one audience: set \`aud: ${audience}\` (one value, not a list) in its \`id_tokens:\` entry.`,
        );
      }
      return token;
    },
  };
}
