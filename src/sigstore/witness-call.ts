// One request to Sigstore (Fulcio, Rekor, the TSA) on the action's HTTP client, with the failure turned into a
// typed SigningError. The client already retries what is safe to retry (network errors, a body cut
// short, 408/429/5xx, honouring Retry-After), so what reaches this file is the final answer.
import { HttpError } from '../http/errors.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/client.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { SigningError } from './errors.ts';
import type { SigningErrorCode } from './errors.ts';

export interface WitnessHttp {
  http: HttpClient;
  /** per-attempt timeout, before the test time scale */
  timeoutMs: number;
  retry: RetryPolicy;
}

/** Sends `req` and returns a 2xx (or one of `accept`); anything else becomes `code`. */
export async function witnessCall(
  opts: WitnessHttp,
  code: SigningErrorCode,
  req: Pick<HttpRequest, 'method' | 'url' | 'headers' | 'body'>,
  accept: number[] = [],
): Promise<HttpResponse> {
  let res: HttpResponse;
  try {
    res = await opts.http.send({ ...req, timeoutMs: opts.timeoutMs, retry: opts.retry });
  } catch (err) {
    if (err instanceof HttpError) throw new SigningError(code, err.message, { cause: err });
    throw err;
  }
  if ((res.status >= 200 && res.status < 300) || accept.includes(res.status)) return res;
  const attempts = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
  throw new SigningError(code, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${attempts}${excerpt(res)}`);
}

/**
 * A 2xx whose body cannot be read is asked once more: for Rekor the second POST meets the entry the
 * first one made (409, then a GET of it); for the TSA it is simply a new timestamp; for Fulcio, a new
 * certificate for the same key.
 */
export async function withUnreadableRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof UnreadableAnswer)) throw err;
    return run();
  }
}

export class UnreadableAnswer extends SigningError {}

/** A service's own words help (Rekor says which check failed); they hold no secret of ours. */
function excerpt(res: HttpResponse): string {
  const text = res.text().replace(/\s+/g, ' ').trim();
  if (!text) return '';
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string' && message) return `: ${message.slice(0, 300)}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return `: ${text.slice(0, 300)}`;
}
