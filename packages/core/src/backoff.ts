/** Retry timing (DESIGN §5): exponential backoff with jitter, and the `Retry-After` header. */

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Jitter adds up to this fraction of the computed delay, so retries of a burst spread out. */
export const JITTER_FRACTION = 0.2;
/** A `Retry-After` further away than this is clamped to it. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** The delay without jitter before attempt `attempt + 1`: `min(maxMs, baseMs * 2^(attempt-1))`. */
export function exponentialDelayMs(attempt: number, policy: BackoffPolicy): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.max(0, policy.baseMs);
  const max = Math.max(0, policy.maxMs);
  // 2^(n-1) overflows to Infinity for large n, which min() turns into max.
  return Math.min(max, base * 2 ** (n - 1));
}

/** The delay before attempt `attempt + 1`, plus up to {@link JITTER_FRACTION} of it as jitter. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const delay = exponentialDelayMs(attempt, policy);
  return Math.round(delay + delay * JITTER_FRACTION * Math.min(1, Math.max(0, random())));
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds (`120`) or an HTTP date. Undefined when absent
 * or unparseable; never negative; clamped to {@link MAX_RETRY_AFTER_MS}.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // An HTTP date has a weekday and month name; Date.parse alone would take "-5" as a year.
    if (!/[a-z]{3}/i.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
