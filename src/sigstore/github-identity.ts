// GitHub Actions OIDC: the runner exposes ACTIONS_ID_TOKEN_REQUEST_URL (already carrying a `?`) and a
// bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN only when the job has `permissions: id-token: write`. We GET
// `${url}&audience=${aud}` and read the JWT from `value`. The bearer and the JWT never reach a message;
// the JWT is handed to `onSecret` (log masking) the moment it exists.
//
// The request goes through the action's own HTTP client, like every other: its body is read up to a
// bound, a redirect is never followed (the bearer must not go to another host), and its retry policy
// (network errors, 408/429/5xx with Retry-After, and a 200 without a JWT) is the only one.
import { IdentityError } from './errors.ts';
import { isHttpsOrLoopback } from '../config/loopback.ts';
import { OIDC_TIMEOUT_MS } from '../tunables.ts';
import { HttpError } from '../http/errors.ts';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import type { RetryPolicy } from '../http/retry.ts';
import type { IdentityProvider } from './types.ts';

export interface GitHubIdentityOptions {
  /** the action's HTTP client */
  http: HttpClient;
  /** environment to read ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN from (default process.env) */
  env?: Record<string, string | undefined>;
  /** per-request timeout, before the test time scale (default 10 s) */
  timeoutMs?: number;
  /** the client's retry policy for this request (default: the client's own); false for one attempt */
  retry?: RetryPolicy | false;
  onSecret?: (secret: string) => void;
}

/** A JWT is a few kilobytes; an answer beyond this is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

// First the words of the incumbent's `id` library, which is what users search for and paste.
const PERMISSION_HINT =
  'GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset. ' +
  'GitHub did not give this job an OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). ' +
  'Add `permissions: id-token: write` to the publishing job (job level, not only the workflow) — ' +
  'Trusted Publishing and Sigstore signing both need it. Workflows triggered from forks never get it.';

/** Append the audience to the runner's URL, which normally already ends its query with `?…`. */
export function tokenRequestURL(base: string, audience: string): string {
  const u = new URL(base);
  u.searchParams.set('audience', audience);
  return u.toString();
}

/** The JWT in a token answer, or undefined (an HTML page from a proxy, a cut body, no `value`). */
function jwtOf(res: HttpResponse): string | undefined {
  if (res.truncated) return undefined;
  try {
    const value = (JSON.parse(res.text()) as { value?: unknown }).value;
    return typeof value === 'string' && value.split('.').length === 3 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The runner's token URL for `audience`, refused unless it is https (or loopback, for the local world). */
function requestTarget(base: string, audience: string): { url: string; where: string } {
  let url: URL;
  try {
    url = new URL(tokenRequestURL(base, audience));
  } catch (err) {
    throw new IdentityError('OIDC_REQUEST', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a valid URL', { cause: err });
  }
  // Only the origin + path go into messages: the query may carry runner-internal parameters.
  const where = `${url.origin}${url.pathname}`;
  // The bearer is a credential: never over plain http, except to this machine (the local world).
  if (!isHttpsOrLoopback(url)) {
    throw new IdentityError('OIDC_REQUEST', `ACTIONS_ID_TOKEN_REQUEST_URL (${where}) is not https; the request token is not sent over it`);
  }
  return { url: url.href, where };
}

export function createGitHubIdentityProvider(opts: GitHubIdentityOptions): IdentityProvider {
  const env = opts.env ?? process.env;
  return {
    async getToken(audience: string): Promise<string> {
      const base = env.ACTIONS_ID_TOKEN_REQUEST_URL;
      const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      if (!base || !bearer) throw new IdentityError('OIDC_PERMISSION', PERMISSION_HINT);
      const { url, where } = requestTarget(base, audience);
      let res: HttpResponse;
      try {
        res = await opts.http.send({
          method: 'GET',
          url,
          headers: { authorization: `bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
          timeoutMs: opts.timeoutMs ?? OIDC_TIMEOUT_MS,
          maxBodyBytes: MAX_ANSWER_BYTES,
          ...(opts.retry === undefined ? {} : { retry: opts.retry }),
          unusable: (answer) => answer.status >= 200 && answer.status < 300 && jwtOf(answer) === undefined,
        });
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const why = err.code === 'HTTP_TIMEOUT' ? 'timed out' : `failed (${err.message})`;
        throw new IdentityError('OIDC_REQUEST', `the GitHub OIDC token request to ${where} ${why}`, { cause: err });
      }
      if (res.status < 200 || res.status >= 300) {
        throw new IdentityError(
          'OIDC_REQUEST',
          `the GitHub OIDC token endpoint ${where} answered HTTP ${res.status} for audience "${audience}"` +
            (res.status >= 300 && res.status < 400 ? ' (a redirect, which the request token never follows)' : '') +
            (res.status === 401 || res.status === 403 ? ' (the request token was refused; is `id-token: write` granted to this job?)' : ''),
          { status: res.status },
        );
      }
      const value = jwtOf(res);
      if (value === undefined) {
        throw new IdentityError('OIDC_RESPONSE', `the GitHub OIDC token endpoint ${where} answered without a JWT in "value"`, { status: res.status });
      }
      opts.onSecret?.(value);
      return value;
    },
  };
}
