// GitHub Actions OIDC: the runner exposes ACTIONS_ID_TOKEN_REQUEST_URL (already carrying a `?`) and a
// bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN only when the job has `permissions: id-token: write`. We GET
// `${url}&audience=${aud}` and read the JWT from `value`. The bearer and the JWT never reach a message;
// the JWT is handed to `onSecret` (log masking) the moment it exists.
import { IdentityError } from './errors.ts';
import { isLoopbackHost } from '../config/loopback.ts';
import type { IdentityProvider } from './types.ts';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; signal: AbortSignal }) => Promise<{
  status: number;
  ok: boolean;
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface GitHubIdentityOptions {
  /** environment to read ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN from (default process.env) */
  env?: Record<string, string | undefined>;
  /** per-request timeout (default 10 s) */
  timeoutMs?: number;
  /** extra attempts on network errors, 408, 429 and 5xx (default 2) */
  retries?: number;
  fetch?: FetchLike;
  onSecret?: (secret: string) => void;
  /** backoff before attempt n (1-based), given the last answer's Retry-After; injectable so tests do not sleep */
  backoffMs?: (attempt: number, retryAfter?: string | null) => number;
}

const PERMISSION_HINT =
  'GitHub did not give this job an OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). ' +
  'Add `permissions: id-token: write` to the publishing job (job level, not only the workflow) — ' +
  'Trusted Publishing and Sigstore signing both need it. Workflows triggered from forks never get it.';

/** Append the audience to the runner's URL, which normally already ends its query with `?…`. */
export function tokenRequestURL(base: string, audience: string): string {
  const u = new URL(base);
  u.searchParams.set('audience', audience);
  return u.toString();
}

function retriable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function createGitHubIdentityProvider(opts: GitHubIdentityOptions = {}): IdentityProvider {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const retries = opts.retries ?? 2;
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const backoff = opts.backoffMs ?? ((n: number) => 500 * 2 ** (n - 1));

  return {
    async getToken(audience: string): Promise<string> {
      const base = env.ACTIONS_ID_TOKEN_REQUEST_URL;
      const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      if (!base || !bearer) throw new IdentityError('OIDC_PERMISSION', PERMISSION_HINT);
      let url: string;
      try {
        url = tokenRequestURL(base, audience);
      } catch (err) {
        throw new IdentityError('OIDC_REQUEST', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a valid URL', { cause: err });
      }
      // Only the origin + path go into messages: the query may carry runner-internal parameters.
      const where = `${new URL(url).origin}${new URL(url).pathname}`;
      // The bearer is a credential: never over plain http, except to this machine (the local world).
      const { protocol, hostname } = new URL(url);
      if (protocol !== 'https:' && !(protocol === 'http:' && isLoopbackHost(hostname))) {
        throw new IdentityError('OIDC_REQUEST', `ACTIONS_ID_TOKEN_REQUEST_URL (${where}) is not https; the request token is not sent over it`);
      }

      let retryAfter: string | null | undefined;
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, backoff(attempt, retryAfter)));
        retryAfter = undefined;
        let status: number;
        let body: string;
        try {
          const res = await doFetch(url, {
            method: 'GET',
            headers: { Authorization: `bearer ${bearer}`, Accept: 'application/json; api-version=2.0' },
            signal: AbortSignal.timeout(timeoutMs),
          });
          status = res.status;
          retryAfter = res.headers?.get('retry-after');
          body = await res.text();
        } catch (err) {
          const timedOut = (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
          if (attempt < retries) continue;
          throw new IdentityError(
            'OIDC_REQUEST',
            timedOut
              ? `the GitHub OIDC token request to ${where} timed out after ${timeoutMs} ms`
              : `the GitHub OIDC token request to ${where} failed: ${(err as Error)?.message ?? String(err)}`,
            { cause: err },
          );
        }
        if (status < 200 || status >= 300) {
          if (retriable(status) && attempt < retries) continue;
          throw new IdentityError(
            'OIDC_REQUEST',
            `the GitHub OIDC token endpoint ${where} answered HTTP ${status} for audience "${audience}"` +
              (status === 401 || status === 403 ? ' (the request token was refused; is `id-token: write` granted to this job?)' : ''),
            { status },
          );
        }
        let value: unknown;
        try {
          value = (JSON.parse(body) as { value?: unknown }).value;
        } catch {
          value = undefined;
        }
        if (typeof value !== 'string' || value.split('.').length !== 3) {
          // A 200 without a JWT (an HTML page from a proxy, a cut body) is a glitch: ask again.
          if (attempt < retries) continue;
          throw new IdentityError('OIDC_RESPONSE', `the GitHub OIDC token endpoint ${where} answered without a JWT in "value"`, { status });
        }
        opts.onSecret?.(value);
        return value;
      }
    },
  };
}
