import { describe, expect, it } from "vitest";
import { backoffDelayMs, exponentialDelayMs, JITTER_FRACTION, MAX_RETRY_AFTER_MS, parseRetryAfter } from "./backoff.ts";

describe("backoff", () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it("doubles from the base and stops at the max", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => exponentialDelayMs(n, policy))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
    expect(exponentialDelayMs(10_000, policy)).toBe(60_000);
    expect(exponentialDelayMs(0, policy)).toBe(1000);
  });

  it("adds at most JITTER_FRACTION of jitter", () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(4000);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(4000 * (1 + JITTER_FRACTION));
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(2, policy);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(2400);
    }
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("99999999", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(" ", now)).toBeUndefined();
  });
});
