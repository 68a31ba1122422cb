// The one HTTP client of the engine (the Sigstore libraries bring their own). It gives every
// request a timeout, retries what is safe to retry, reads bodies up to a bound, never follows
// redirects (a redirect must not carry credentials to another host) and logs no header.
import { Agent, request, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_MS } from '../tunables.ts';
import { HttpError } from './errors.ts';
import { DEFAULT_RETRY, backoffDelay, isRetryableStatus, mayRetry, scaled, type RetryPolicy } from './retry.ts';

export type RequestBody = string | Buffer | Readable | AsyncIterable<Uint8Array>;

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
   * Last-resort bound on one attempt, sending included (undici's own timeouts only watch the
   * response). Default: four times `timeoutMs`; an upload sets it from the file's size.
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
  const agent = new Agent({ connections: options.connections ?? 8, keepAliveTimeout: 30_000, pipelining: 1 });
  const log = options.log;
  // close() ends what is still in flight or waiting to retry: a request the run no longer needs (the
  // audience asked for while the dists were checked, when a dist failed) must not keep the process up.
  const closing = new AbortController();

  async function attempt(req: HttpRequest, attemptNo: number): Promise<HttpResponse> {
    const timeout = scaled(req.timeoutMs ?? REQUEST_TIMEOUT_MS);
    const started = Date.now();
    let res: Dispatcher.ResponseData;
    // An error of the body's own source (a file that changed) is the caller's, not the network's:
    // it is thrown as it is and never retried.
    let bodyFailure: { error: unknown } | undefined;
    try {
      res = await request(req.url, {
        method: req.method,
        headers: { 'user-agent': options.userAgent, ...req.headers },
        // undici sends an async iterable as it comes (writeIterable); its types omit that case.
        body: watchBody(req.body?.(), (error) => (bodyFailure = { error })) as Dispatcher.RequestOptions['body'],
        dispatcher: agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(req.deadlineMs === undefined ? Math.max(timeout, 1) * 4 : scaled(req.deadlineMs))]),
      });
    } catch (error) {
      if (bodyFailure) throw bodyFailure.error;
      throw toHttpError(req.url, error);
    }
    const { body, truncated } = await readBounded(res.body, req.maxBodyBytes ?? MAX_RESPONSE_BYTES, req.url);
    log?.debug(`${req.method} ${redactUrl(req.url)} -> ${res.statusCode} (${Date.now() - started} ms, attempt ${attemptNo})`);
    return toResponse(res, body, truncated, attemptNo);
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
    close: () => {
      closing.abort();
      return agent.close();
    },
  };
}

function toResponse(res: Dispatcher.ResponseData, body: Buffer, truncated: boolean, attempts: number): HttpResponse {
  const headers = res.headers;
  return {
    status: res.statusCode,
    statusText: res.statusText ?? '',
    headers,
    body,
    truncated,
    attempts,
    header: (name) => {
      const v = headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    text: () => body.toString('utf8'),
  };
}

/** The body as given; an async iterable (not a stream) is passed through and its failure recorded. */
function watchBody(body: RequestBody | undefined, onFailure: (error: unknown) => void): RequestBody | undefined {
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body) || typeof (body as Readable).pipe === 'function') return body;
  const source = body as AsyncIterable<Uint8Array>;
  return (async function* () {
    try {
      yield* source;
    } catch (error) {
      onFailure(error);
      throw error;
    }
  })();
}

async function readBounded(body: Dispatcher.ResponseData['body'], max: number, url: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size + buf.length > max) {
        chunks.push(buf.subarray(0, max - size));
        size = max;
        body.destroy();
        return { body: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(buf);
      size += buf.length;
    }
  } catch (error) {
    throw toHttpError(url, error);
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

function toHttpError(url: string, error: unknown): HttpError {
  const e = error as { code?: string; name?: string; message?: string };
  const shown = redactUrl(url);
  if (e?.name === 'TimeoutError' || e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT' || e?.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new HttpError('HTTP_TIMEOUT', url, `${shown} did not answer in time`, { cause: error });
  }
  const detail = e?.code ?? e?.message ?? String(error);
  return new HttpError('HTTP_NETWORK', url, `could not reach ${shown} (${detail})`, { cause: error });
}

/** URLs are logged without userinfo or query: both can carry credentials. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}
