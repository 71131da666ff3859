import { describe, expect, it } from "vitest";
import { canTransition, DELIVERY_STATUSES, decideAttempt, isRetryableStatus, isTerminal } from "./delivery-state.ts";

const backoff = { baseMs: 100, maxMs: 1000 };
const noJitter = () => 0;

describe("delivery state machine", () => {
  it("allows exactly the DESIGN §5 transitions", () => {
    const allowed = DELIVERY_STATUSES.flatMap((from) =>
      DELIVERY_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        "PENDING->PROCESSING",
        "RETRY_SCHEDULED->PROCESSING",
        "PROCESSING->SUCCESS",
        "PROCESSING->RETRY_SCHEDULED",
        "PROCESSING->DLQ",
        "PROCESSING->FAILED",
        "PROCESSING->PENDING",
        "PROCESSING->PROCESSING",
        "FAILED->PENDING",
        "DLQ->PENDING",
      ].sort(),
    );
    expect(isTerminal("SUCCESS")).toBe(true);
    expect(isTerminal("RETRY_SCHEDULED")).toBe(false);
  });

  it("classifies statuses", () => {
    for (const s of [408, 409, 425, 429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(s), String(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 405, 410, 413, 422, 301, 302, 304])
      expect(isRetryableStatus(s), String(s)).toBe(false);
  });

  it("2xx is SUCCESS", () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect(decideAttempt({ result: { kind: "response", status }, attempt: 1, maxAttempts: 3, backoff })).toEqual({
        status: "SUCCESS",
        circuit: "success",
      });
    }
  });

  it("retryable failures are scheduled with a growing backoff, then DLQ", () => {
    const delays = [1, 2, 3, 4].map(
      (attempt) =>
        decideAttempt({ result: { kind: "response", status: 503 }, attempt, maxAttempts: 5, backoff, random: noJitter })
          .delayMs,
    );
    expect(delays).toEqual([100, 200, 400, 800]);
    const last = decideAttempt({
      result: { kind: "network", error: "ECONNREFUSED" },
      attempt: 5,
      maxAttempts: 5,
      backoff,
    });
    expect(last.status).toBe("DLQ");
    expect(last.error).toMatch(/ECONNREFUSED.*gave up after 5 attempts/);
    expect(last.circuit).toBe("failure");
    const timeout = decideAttempt({ result: { kind: "timeout", timeoutMs: 50 }, attempt: 1, maxAttempts: 2, backoff });
    expect(timeout).toMatchObject({ status: "RETRY_SCHEDULED", circuit: "failure" });
    expect(timeout.error).toMatch(/50 ms/);
  });

  it("honours Retry-After over the backoff", () => {
    const d = decideAttempt({
      result: { kind: "response", status: 429, retryAfterMs: 7000 },
      attempt: 1,
      maxAttempts: 3,
      backoff,
    });
    expect(d).toMatchObject({ status: "RETRY_SCHEDULED", delayMs: 7000 });
  });

  it("other 4xx and permanent errors are FAILED at once", () => {
    const bad = decideAttempt({
      result: { kind: "response", status: 400, statusText: "Bad Request", bodySnippet: "no" },
      attempt: 1,
      maxAttempts: 5,
      backoff,
    });
    expect(bad).toMatchObject({ status: "FAILED", circuit: "success" });
    expect(bad.error).toBe("HTTP 400 Bad Request from the destination: no (not retryable)");
    const secret = decideAttempt({
      result: { kind: "permanent", error: "Missing secret token" },
      attempt: 1,
      maxAttempts: 5,
      backoff,
    });
    expect(secret).toEqual({ status: "FAILED", error: "Missing secret token", circuit: "none" });
  });

  it("a lost lease or a crashed worker is retried, then DLQ, without counting against the circuit", () => {
    const result = { kind: "worker" as const, error: "The worker lost the lease" };
    const retry = decideAttempt({ result, attempt: 1, maxAttempts: 2, backoff, random: () => 0.5 });
    expect(retry).toMatchObject({ status: "RETRY_SCHEDULED", error: "The worker lost the lease", circuit: "none" });
    expect(retry.delayMs).toBeGreaterThan(0);
    const last = decideAttempt({ result, attempt: 2, maxAttempts: 2, backoff });
    expect(last).toEqual({
      status: "DLQ",
      error: "The worker lost the lease; gave up after 2 attempts",
      circuit: "none",
    });
  });
});
