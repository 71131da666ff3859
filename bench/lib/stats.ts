import { waitFor } from "@ib/testing";
/** Nearest-rank percentile of an unsorted sample (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Milliseconds on a clock shared by every thread of this process. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Wait for a condition with a deadline (never a fixed sleep): @ib/testing's waitFor, in the bench's words. */
export function until<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs, intervalMs = 20, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  return waitFor(fn, { timeoutMs, intervalMs, message: what });
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles of latency samples in ms, rounded to 0.01 ms. */
export function latencySummary(samples: readonly number[]): LatencySummary {
  return {
    p50: round(percentile(samples, 50), 2),
    p95: round(percentile(samples, 95), 2),
    p99: round(percentile(samples, 99), 2),
    max: round(
      samples.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
      2,
    ),
  };
}
