// One attempt of one request over node:http / node:https: the body sent as it comes, the answer read
// up to a bound, and the whole ended when it stalls, outlives its signal, or its body's source fails.
// What fails on the network becomes an HttpError; what the body's own source throws (a file that
// changed) is thrown as it is, for the caller must not take it for a network error nor retry it.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { ConnectionPool } from './connection-pool.ts';
import { HttpError, redactUrl } from './errors.ts';
import { nodeHttp, nodeHttps } from './node-http.ts';

export type RequestBody = string | Buffer | Readable | AsyncIterable<Uint8Array>;

export interface ExchangeSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: RequestBody | undefined;
  /**
   * No progress for this long ends the attempt as a timeout: the connection and the answer's head
   * once the pool gives the request a connection (a chunk sent counts), then each chunk of the body.
   */
  idleMs: number;
  /** Ends the attempt at once: a TimeoutError reason is a timeout, any other the run ending. */
  signal: AbortSignal;
  /** The answer's body is cut here and flagged, and its connection closed. */
  maxBodyBytes: number;
}

export interface Answer {
  status: number;
  statusText: string;
  /** Lower-case names; a header sent more than once is an array of its values. */
  headers: Record<string, string | string[]>;
  body: Buffer;
  truncated: boolean;
  /** Every byte of the request's body had been handed to the OS when the answer was read (not an early answer). */
  bodyFlushed: boolean;
}

export async function exchange(pool: ConnectionPool, spec: ExchangeSpec): Promise<Answer> {
  const req = open(pool, spec);
  const guard = guardExchange(req, spec);
  sendBody(req, spec.body, guard).catch((error: unknown) => guard.fail(error));
  let reusable = false;
  try {
    const res = await guard.race(new Promise<IncomingMessage>((resolve) => req.once('response', resolve)));
    guard.progress();
    const { body, truncated } = await guard.race(readBounded(res, spec.maxBodyBytes, guard.progress));
    reusable = !truncated && req.writableEnded;
    return {
      status: res.statusCode ?? 0,
      statusText: res.statusMessage ?? '',
      headers: headersOf(res),
      body,
      truncated,
      bodyFlushed: req.writableFinished,
    };
  } catch (error) {
    const failure = guard.failure();
    throw failure ? failure.error : toHttpError(spec.url, error);
  } finally {
    guard.stop();
    // A connection is back in the pool only after a whole exchange: a cut answer, an early one (its
    // request's body not all sent) or a failure leaves it in a state no next request can use.
    if (!reusable) req.destroy();
  }
}

function open(pool: ConnectionPool, spec: ExchangeSpec): ClientRequest {
  try {
    const url = new URL(spec.url);
    const agent = pool.agentFor(url);
    if (agent === undefined) throw Object.assign(new Error('unsupported protocol'), { code: 'unsupported protocol' });
    // Credentials travel in headers the caller chose, never from a URL's userinfo.
    url.username = '';
    url.password = '';
    return (url.protocol === 'https:' ? nodeHttps() : nodeHttp()).request(url, { method: spec.method, headers: spec.headers, agent });
  } catch (error) {
    throw toHttpError(spec.url, error);
  }
}

interface ExchangeGuard {
  /** The promise, or the failure that ended the exchange first, whichever settles first. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Something was sent or received: the idle timer starts over. */
  progress(): void;
  /** Resolves once the socket can take more, or once the exchange has ended. */
  drained(): Promise<void>;
  ended(): boolean;
  /** Ends the exchange with this error (the first one wins) and closes its connection. */
  fail(error: unknown): void;
  failure(): { error: unknown } | undefined;
  stop(): void;
}

function guardExchange(req: ClientRequest, spec: ExchangeSpec): ExchangeGuard {
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let reject!: (error: unknown) => void;
  let settle!: () => void;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined);
  const settled = new Promise<void>((r) => (settle = r));
  let timer: NodeJS.Timeout | undefined;
  const fail = (error: unknown) => {
    if (stopped) return;
    failure = { error };
    stop();
    req.destroy();
    reject(error);
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    spec.signal.removeEventListener('abort', onAbort);
    settle();
  };
  const onAbort = () => fail(abortError(spec.url, spec.signal.reason));
  // Waiting for a free connection of the pool is no stall: only the deadline (the signal) bounds it.
  req.once('socket', () => {
    if (!stopped) timer = setTimeout(() => fail(timedOut(spec.url)), spec.idleMs);
  });
  // Kept for the request's whole life: a socket error after the answer must not go unhandled.
  req.on('error', (error) => fail(toHttpError(spec.url, error)));
  if (spec.signal.aborted) onAbort();
  else spec.signal.addEventListener('abort', onAbort, { once: true });
  return {
    race: (work) => Promise.race([work, failed]),
    progress: () => timer?.refresh(),
    drained: () => Promise.race([new Promise<void>((r) => req.once('drain', r)), settled]),
    ended: () => stopped,
    fail,
    failure: () => failure,
    stop,
  };
}

/**
 * Writes the body, waiting for 'drain' whenever the socket holds enough: the next chunk is asked for
 * only once the previous ones are taken, the contract of src/io/file-chunks.ts's reused buffers.
 * Rejects only with the source's own error; the network's reach the guard through the request.
 */
async function sendBody(req: ClientRequest, body: RequestBody | undefined, guard: ExchangeGuard): Promise<void> {
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    req.end(body);
    return;
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    if (guard.ended()) return;
    if (!req.write(chunk)) await guard.drained();
    guard.progress();
  }
  if (!guard.ended()) req.end();
}

async function readBounded(res: IncomingMessage, max: number, onChunk: () => void): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    onChunk();
    if (size + chunk.length > max) {
      chunks.push(chunk.subarray(0, max - size));
      // Leaving the loop destroys the stream and its socket: an endless body cannot hold the run.
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

function headersOf(res: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(res.headersDistinct)) {
    if (values !== undefined) headers[name] = values.length === 1 ? values[0]! : values;
  }
  return headers;
}

function abortError(url: string, reason: unknown): HttpError {
  if ((reason as { name?: string } | undefined)?.name === 'TimeoutError') return toHttpError(url, reason);
  return new HttpError('HTTP_NETWORK', url, `${redactUrl(url)}: the run ended before an answer`, { cause: reason });
}

function timedOut(url: string, cause?: unknown): HttpError {
  return new HttpError('HTTP_TIMEOUT', url, `${redactUrl(url)} did not answer in time`, cause === undefined ? undefined : { cause });
}

function toHttpError(url: string, error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const e = error as { code?: unknown; name?: string; message?: string };
  const shown = redactUrl(url);
  if (e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT') return timedOut(url, error);
  // The code only (ECONNRESET, a TLS verdict, a parser's): node's messages quote addresses and inputs.
  const detail = typeof e?.code === 'string' ? e.code : (e?.name ?? 'error');
  return new HttpError('HTTP_NETWORK', url, `could not reach ${shown} (${detail})`, { cause: error });
}
