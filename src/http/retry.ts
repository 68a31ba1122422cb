// Backoff policy shared by every request the action makes: exponential with full jitter, bounded
// both in attempts and in total time, so a flaky service costs seconds, never the job's timeout.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No new attempt starts after this much time since the first one. */
  budgetMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  budgetMs: 60_000,
};

// Test hook, read once at the edge (src/index.ts) from PYPI_PUBLISH_TIME_SCALE, which a workflow never
// sets: a factor in (0, 1] applied to every backoff delay, retry budget and request timeout, so the
// fault-injection suite (__tests__/faults) runs the real retry logic in seconds. A server's
// Retry-After is honoured as sent, never scaled.
let timeScale = 1;

/** A valid scale in (0, 1], or undefined for anything else (then nothing changes). */
export function parseTimeScale(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 && n <= 1 ? n : undefined;
}

export function setTimeScale(scale: number): void {
  timeScale = parseTimeScale(String(scale)) ?? 1;
}

/**
 * The test hook (docs/architecture.md): PYPI_PUBLISH_TIME_SCALE in (0, 1] scales retry delays and
 * timeouts for the fault-injection suites. Returns the warning an edge must show when it is in force.
 */
export function applyTimeScaleHook(env: NodeJS.ProcessEnv): string | undefined {
  const scale = parseTimeScale(env['PYPI_PUBLISH_TIME_SCALE']);
  if (scale === undefined || scale === 1) return undefined;
  setTimeScale(scale);
  return `PYPI_PUBLISH_TIME_SCALE=${scale}: retry delays and timeouts are scaled (a test hook; never set it in a workflow)`;
}

/** A duration of the product's policy (timeout, delay, budget) under the test hook's scale. */
export function scaled(ms: number): number {
  return timeScale === 1 ? ms : Math.max(1, Math.round(ms * timeScale));
}

/**
 * The one rule for whether another attempt may follow attempt `attempt` (1 = the first), begun at
 * `startedAt`, after a wait of `delayMs`: within the policy's attempts and its time budget. Every
 * retry loop of the action (the HTTP client's, the mint's with a fresh JWT each time) asks it.
 */
export function mayRetry(policy: RetryPolicy, attempt: number, startedAt: number, delayMs = 0): boolean {
  return attempt < policy.attempts && Date.now() - startedAt + delayMs <= scaled(policy.budgetMs);
}

/** Statuses worth another try: the request may succeed unchanged a moment later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Delay before attempt `attempt` (1 = the first retry). Retry-After wins when the server sent one. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfter?: string | null, random = Math.random): number {
  const hinted = parseRetryAfter(retryAfter);
  if (hinted !== undefined) return Math.min(hinted, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter: concurrent uploads that failed together do not retry together.
  return scaled(Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
