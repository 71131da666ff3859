import { describe, expect, it } from "vitest";
import { IntervalLimiter } from "./interval-limiter.ts";

describe("IntervalLimiter", () => {
  it("admits one call per key per interval and says how long to wait", () => {
    const limiter = new IntervalLimiter(1000);
    expect(limiter.take("a", 10_000)).toEqual({ ok: true });
    expect(limiter.take("a", 10_400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(limiter.take("b", 10_400)).toEqual({ ok: true });
    expect(limiter.take("a", 10_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(limiter.take("a", 11_000)).toEqual({ ok: true });
  });

  it("a refused call does not push the window back", () => {
    const limiter = new IntervalLimiter(1000);
    limiter.take("a", 0);
    for (let t = 100; t < 1000; t += 100) expect(limiter.take("a", t).ok).toBe(false);
    expect(limiter.take("a", 1000).ok).toBe(true);
  });

  it("never admits two calls of one key closer than the interval (random call times, churning keys)", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let run = 0; run < 200; run++) {
      const limiter = new IntervalLimiter(1000, 4);
      let now = 0;
      const admitted: number[] = [];
      for (let i = 0; i < 60; i++) {
        now += Math.floor(random() * (random() < 0.5 ? 300 : 3000));
        // Other keys churn the map past its bound: making room must not admit "a" early.
        limiter.take(`other-${Math.floor(random() * 10)}`, now);
        if (limiter.take("a", now).ok) admitted.push(now);
      }
      expect(admitted.length).toBeGreaterThan(0);
      for (let i = 1; i < admitted.length; i++) {
        expect((admitted[i] as number) - (admitted[i - 1] as number)).toBeGreaterThanOrEqual(1000);
      }
    }
  });

  it("stays bounded: when every slot is inside its interval a new key waits for the oldest", () => {
    const limiter = new IntervalLimiter(1000, 3);
    for (const key of ["a", "b", "c"]) expect(limiter.take(key, 0).ok).toBe(true);
    expect(limiter.take("d", 400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(limiter.take("d", 1000)).toEqual({ ok: true });
    let admitted = 0;
    for (let i = 0; i < 10_000; i++) if (limiter.take(`k${i}`, 2000 + i).ok) admitted++;
    // 3 slots, 1000 ms each, over 10 s: about 30 admitted, never more.
    expect(admitted).toBeLessThanOrEqual(33);
    expect(admitted).toBeGreaterThanOrEqual(27);
  });
});
