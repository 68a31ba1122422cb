// The one HTTP client of the engine (the Sigstore libraries bring their own). It gives every
// request a timeout, retries what is safe to retry, reads bodies up to a bound, never follows
// redirects (a redirect must not carry credentials to another host) and logs no header.
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_MS } from '../tunables.ts';
import { createConnectionPool } from './connection-pool.ts';
import { HttpError, redactUrl } from './errors.ts';
import { exchange, type Answer, type RequestBody } from './exchange.ts';
import { DEFAULT_RETRY, backoffDelay, isRetryableStatus, mayRetry, scaled, type RetryPolicy } from './retry.ts';

export { redactUrl, type RequestBody };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** A factory, so that a retry sends a fresh stream. */
  body?: () => RequestBody;
  timeoutMs?: number;
  retry?: RetryPolicy | false;
  /** Responses larger than this are cut and flagged; errors pages need no more than this. */
  maxBodyBytes?: number;
  /**
   * Last-resort bound on one attempt, from its start to the answer's last byte (`timeoutMs` only
   * bounds a stall). Default: four times `timeoutMs`; an upload sets it from the file's size.
   */
  deadlineMs?: number;
  /**
   * An answer the caller cannot use although its status is fine (a 200 with an HTML page from a
   * proxy where JSON was due): retried under the same policy as a 503, returned as is at the end.
   */
  unusable?: (res: HttpResponse) => boolean;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  truncated: boolean;
  /** The last attempt's request body was all handed to the OS before its answer (absent: not known). */
  bodyFlushed?: boolean;
  attempts: number;
  header(name: string): string | undefined;
  text(): string;
}

export interface HttpLog {
  debug(message: string): void;
}

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export function createHttpClient(options: { log?: HttpLog; userAgent: string; connections?: number }): HttpClient {
  // Keep-alive pool: uploads of many files reuse a handful of TLS connections.
  const pool = createConnectionPool({ connections: options.connections ?? 8 });
  const log = options.log;
  // close() ends what is still in flight or waiting to retry: a request the run no longer needs (the
  // audience asked for while the dists were checked, when a dist failed) must not keep the process up.
  const closing = new AbortController();

  async function attempt(req: HttpRequest, attemptNo: number): Promise<HttpResponse> {
    const timeout = scaled(req.timeoutMs ?? REQUEST_TIMEOUT_MS);
    const started = Date.now();
    const deadline = req.deadlineMs === undefined ? Math.max(timeout, 1) * 4 : scaled(req.deadlineMs);
    const answer = await exchange(pool, {
      method: req.method,
      url: req.url,
      headers: { 'user-agent': options.userAgent, ...req.headers },
      body: req.body?.(),
      idleMs: timeout,
      signal: AbortSignal.any([closing.signal, AbortSignal.timeout(deadline)]),
      maxBodyBytes: req.maxBodyBytes ?? MAX_RESPONSE_BYTES,
    });
    log?.debug(`${req.method} ${redactUrl(req.url)} -> ${answer.status} (${Date.now() - started} ms, attempt ${attemptNo})`);
    return toResponse(answer, attemptNo);
  }

  return {
    async send(req) {
      const policy = req.retry === false ? { ...DEFAULT_RETRY, attempts: 1 } : (req.retry ?? DEFAULT_RETRY);
      const start = Date.now();
      for (let n = 1; ; n++) {
        let outcome: HttpResponse | HttpError;
        try {
          outcome = await attempt(req, n);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          outcome = error;
        }
        // A timeout or a network error is worth another try; an answer, only when its status says so.
        const retryable = outcome instanceof HttpError || isRetryableStatus(outcome.status) || req.unusable?.(outcome) === true;
        const delay = backoffDelay(policy, n, outcome instanceof HttpError ? undefined : outcome.header('retry-after'));
        if (!retryable || !mayRetry(policy, n, start, delay)) {
          if (outcome instanceof HttpError) throw outcome;
          return outcome;
        }
        const why =
          outcome instanceof HttpError ? outcome.message : `HTTP ${outcome.status}${isRetryableStatus(outcome.status) ? '' : ' with an unusable body'}`;
        log?.debug(`retrying ${req.method} ${redactUrl(req.url)} in ${delay} ms after ${why}`);
        await sleep(delay, undefined, { signal: closing.signal }).catch(() => {
          throw new HttpError('HTTP_NETWORK', req.url, `${redactUrl(req.url)}: the run ended before a retry`);
        });
      }
    },
    close: async () => {
      closing.abort();
      pool.destroy();
    },
  };
}

function toResponse(answer: Answer, attempts: number): HttpResponse {
  const { headers, body } = answer;
  return {
    ...answer,
    attempts,
    header: (name) => {
      const v = headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    text: () => body.toString('utf8'),
  };
}
