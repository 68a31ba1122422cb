// The Trusted Publishing exchange (PyPI docs "The manual way"): ask the index for its audience,
// get a GitHub OIDC token for it, and trade that token for a short-lived upload token. Every
// mint uses a fresh JWT, because the index refuses a JWT whose jti it has seen.
import { readFile } from 'node:fs/promises';
import type { HttpClient, HttpResponse } from '../http/client.ts';
import { backoffDelay, DEFAULT_RETRY, isRetryableStatus, mayRetry } from '../http/retry.ts';
import { isJsonObject, jsonText, parseJsonObject } from '../http/json-object.ts';
import { SIGSTORE_AUDIENCE, type IdentityProvider } from '../sigstore/types.ts';
import { decodeClaims, renderClaims, type Claims } from './claims.ts';
import { gitLabTokenRetrievalFailed, renderGitLabClaims } from '../gitlab/messages.ts';
import { isGitLabClaims } from '../gitlab/publisher.ts';
import { TrustedPublishingError } from './errors.ts';
import * as msg from './messages.ts';
import { scrub } from '../report/scrub.ts';
import { EXCHANGE_TIMEOUT_MS, TOKEN_RENEW_MARGIN_MS } from '../tunables.ts';

export interface ExchangeDeps {
  http: HttpClient;
  identity: IdentityProvider;
  /** Called with every secret the moment it exists (the action masks it in logs). */
  mask(secret: string): void;
  log: { debug(message: string): void };
  github: { eventName?: string; eventPath?: string };
}

export interface MintedToken {
  token: string;
  /** When we consider it spent: the index's 15 minutes, counted from before we asked. */
  expiresAt: number;
  claims: Claims;
}

const TOKEN_LIFETIME_MS = 15 * 60_000;

/** `https://{host}/_/oidc/...` on the upload URL's host, as the incumbent, twine and uv do. */
export function exchangeEndpoints(uploadUrl: URL): { audience: string; mint: string } {
  const origin = `${uploadUrl.protocol}//${uploadUrl.host}`;
  return { audience: `${origin}/_/oidc/audience`, mint: `${origin}/_/oidc/mint-token` };
}

// The log gets the whole text, as the incumbent prints it (`::error::Trusted publishing exchange
// failure: …` with every reason and the claims): that text is what users search for and paste.
function fail(code: TrustedPublishingError['code'], message: string): never {
  throw new TrustedPublishingError(code, `Trusted publishing exchange failure: ${message}`, msg.exchangeFailureSummary(message));
}

async function fetchAudience(deps: ExchangeDeps, uploadUrl: URL): Promise<string> {
  const { audience } = exchangeEndpoints(uploadUrl);
  const domain = uploadUrl.host;
  const res = await deps.http
    .send({ method: 'GET', url: audience, timeoutMs: EXCHANGE_TIMEOUT_MS })
    .catch((error: Error) => fail('TP_AUDIENCE', `audience retrieval failed: ${error.message}`));
  if (res.status === 403) fail('TP_AUDIENCE', `audience retrieval failed: repository at ${domain} has trusted publishing disabled`);
  if (res.status === 404) fail('TP_AUDIENCE', `audience retrieval failed: repository at ${domain} does not indicate trusted publishing support`);
  if (res.status < 200 || res.status > 299) {
    fail('TP_AUDIENCE', `audience retrieval failed: repository at ${domain} responded with unexpected ${res.status}: ${res.statusText}`);
  }
  const body = parseJsonObject(res.text()) as { audience?: unknown } | undefined;
  if (typeof body?.audience !== 'string' || body.audience === '') {
    fail('TP_AUDIENCE', `audience retrieval failed: repository at ${domain} answered without an audience`);
  }
  // A token for Sigstore's audience is Fulcio's: an index that asked for it could get certificates in this job's name.
  if (body.audience === SIGSTORE_AUDIENCE) {
    fail(
      'TP_AUDIENCE',
      `audience retrieval failed: repository at ${domain} asks for a token for Sigstore's audience ("${SIGSTORE_AUDIENCE}"), which no index may have`,
    );
  }
  return body.audience;
}

async function isForkPullRequest(github: ExchangeDeps['github']): Promise<boolean> {
  if (github.eventName !== 'pull_request' || !github.eventPath) return false;
  try {
    const event = JSON.parse(await readFile(github.eventPath, 'utf8')) as { pull_request?: { head?: { repo?: { fork?: boolean } } } };
    return event.pull_request?.head?.repo?.fork === true;
  } catch {
    return false;
  }
}

async function getJwt(deps: ExchangeDeps, audience: string): Promise<string> {
  try {
    const jwt = await deps.identity.getToken(audience);
    deps.mask(jwt);
    return jwt;
  } catch (error) {
    const text = (error as Error).message;
    if (deps.identity.platform === 'gitlab-ci') return fail('TP_OIDC', gitLabTokenRetrievalFailed(text));
    const explain = (await isForkPullRequest(deps.github)) ? msg.tokenRetrievalFailedForkPR(text) : msg.tokenRetrievalFailed(text);
    return fail('TP_OIDC', explain);
  }
}

/**
 * One exchange: a fresh JWT for the index's audience, traded for an upload token. `audience` is the
 * index's answer when it was asked for ahead (the token source does, see `prefetchAudience`).
 * `first`, when given: `issued` is resolved with the claims of the first JWT as soon as it is issued,
 * `sent` with them a macrotask after its mint request was written; each is rejected if the exchange
 * fails before that.
 */
export async function mintToken(
  deps: ExchangeDeps,
  uploadUrl: URL,
  audience: Promise<string> = fetchAudience(deps, uploadUrl),
  first?: FirstClaims,
): Promise<MintedToken> {
  try {
    return await tradeJwt(deps, uploadUrl, await audience, first);
  } catch (error) {
    // Settles nothing when it was resolved already.
    first?.issued.reject(error);
    first?.sent.reject(error);
    throw error;
  }
}

/** The claims of a token source's first JWT: when it is issued, and once its mint request is written. */
interface FirstClaims {
  issued: PromiseWithResolvers<Claims>;
  sent: PromiseWithResolvers<Claims>;
}

async function tradeJwt(deps: ExchangeDeps, uploadUrl: URL, aud: string, first: FirstClaims | undefined): Promise<MintedToken> {
  const { mint } = exchangeEndpoints(uploadUrl);
  deps.log.debug(`selected trusted publishing exchange endpoint: ${mint}`);
  const started = Date.now();
  const again = (attempt: number) => mayRetry(DEFAULT_RETRY, attempt, started);
  for (let attempt = 1; ; attempt++) {
    const jwt = await getJwt(deps, aud);
    const claims = decodeClaims(jwt);
    const requestedAt = Date.now();
    const answer = deps.http.send({
      method: 'POST',
      url: mint,
      headers: { 'content-type': 'application/json' },
      body: () => JSON.stringify({ token: jwt }),
      timeoutMs: EXCHANGE_TIMEOUT_MS,
      retry: false, // retried here, with a fresh JWT each time
    });
    // A macrotask later, so the request is written first: what waits for the claims (compiling the
    // Sigstore stack) holds the thread, and started in this tick it held the mint request back.
    if (attempt === 1 && first) {
      first.issued.resolve(claims);
      setImmediate(() => first.sent.resolve(claims));
    }
    let res: HttpResponse;
    try {
      res = await answer;
    } catch (error) {
      if (again(attempt)) {
        await pause(backoffDelay(DEFAULT_RETRY, attempt));
        continue;
      }
      return fail('TP_MALFORMED', `Token request failed: ${(error as Error).message}`);
    }
    if (isRetryableStatus(res.status) && again(attempt)) {
      deps.log.debug(`mint-token answered ${res.status}; retrying with a fresh OIDC token`);
      await pause(backoffDelay(DEFAULT_RETRY, attempt, res.header('retry-after')));
      continue;
    }
    const payload = parseJsonObject(res.text()) as { token?: unknown; errors?: unknown } | undefined;
    if ((payload === undefined || res.truncated) && res.status >= 200 && res.status < 300 && again(attempt)) {
      // A 2xx whose body is not JSON (cut short by a proxy, an HTML page): nothing was learnt, and the
      // JWT may be spent, so ask again with a fresh one.
      deps.log.debug(`mint-token answered ${res.status} with a body that is not JSON; retrying with a fresh OIDC token`);
      await pause(backoffDelay(DEFAULT_RETRY, attempt));
      continue;
    }
    if (payload === undefined || res.truncated) return fail('TP_MALFORMED', msg.malformedJson(res.status));
    if (res.status < 200 || res.status > 299) {
      const given = (Array.isArray(payload.errors) ? payload.errors : []).filter(isJsonObject);
      const reasons =
        given.length > 0
          ? given.map((e) => `* \`${scrub(jsonText(e['code']), [jwt])}\`: ${scrub(jsonText(e['description']), [jwt])}`).join('\n')
          : `* the index answered ${res.status} without reasons`;
      const gitlab = isGitLabClaims(claims);
      return fail('TP_REFUSED', msg.serverRefused(reasons, gitlab ? renderGitLabClaims(claims) : renderClaims(claims), gitlab ? 'GitLab' : 'GitHub'));
    }
    if (typeof payload.token !== 'string' || payload.token === '') return fail('TP_MALFORMED', msg.MALFORMED_TOKEN_RESPONSE);
    deps.mask(payload.token);
    return { token: payload.token, expiresAt: requestedAt + TOKEN_LIFETIME_MS, claims };
  }
}

/** Hands out a valid upload token, minting a new one (with a new JWT) when the current one ages. */
export function createTokenSource(deps: ExchangeDeps, uploadUrl: URL, now: () => number = Date.now) {
  // Concurrent uploads share one mint: a pending promise is handed to everyone who asks.
  let current: Promise<MintedToken> | undefined;
  let settled: MintedToken | undefined;
  // Asked once per run, and kept even when it failed: the HTTP client has already retried it, and a
  // second round of retries would only double the wait for the same answer.
  let audience: Promise<string> | undefined;
  const audienceOnce = () => (audience ??= fetchAudience(deps, uploadUrl));
  // A GitLab job has one ID token per audience, and the index takes each once: a second mint would be
  // refused, so there the upload token is used for all of its 15 minutes instead of renewed early.
  const renewMargin = deps.identity.platform === 'gitlab-ci' ? 0 : TOKEN_RENEW_MARGIN_MS;
  const first: FirstClaims = { issued: Promise.withResolvers<Claims>(), sent: Promise.withResolvers<Claims>() };
  // Reported by get(), whose exchange failed: whoever waits for the claims only learns there are none.
  first.issued.promise.catch(() => undefined);
  first.sent.promise.catch(() => undefined);
  let minting = 0;
  return {
    /**
     * The claims of the first JWT traded, a macrotask after its mint request was written: who
     * publishes (and so whether attestations are made) is known while the index answers. Rejects
     * when that exchange failed first.
     */
    claims: first.sent.promise,
    /**
     * The claims of the first JWT as soon as it is issued, whatever the index then answers: for what
     * the claims alone decide (the reusable-workflow warning). Rejects when no JWT was issued.
     */
    issuedClaims: first.issued.promise,
    /**
     * Asks the index for its audience now, without waiting for the answer. The audience is public and
     * the request carries no credential, so it may overlap reading the dists: no token is requested
     * before they pass. A failure is reported by the first get(); the promise returned only says
     * that the answer is in, and never rejects.
     */
    prefetchAudience(): Promise<void> {
      return audienceOnce().then(
        () => undefined,
        () => undefined,
      );
    },
    get(): Promise<MintedToken> {
      if (current && (!settled || settled.expiresAt - now() > renewMargin)) return current;
      settled = undefined;
      current = mintToken(deps, uploadUrl, audienceOnce(), minting++ === 0 ? first : undefined).then(
        (minted) => (settled = minted),
        (error: unknown) => {
          current = undefined;
          throw error;
        },
      );
      return current;
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
