import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { deliveries, deliveryAttempts } from "@ib/db";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketSize, takeRateToken } from "../src/worker/rate-limit.ts";
import { deliveryWorker } from "../src/worker/service.ts";
import { createConnector, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const TAKER = fileURLToPath(new URL("./rate-limit-taker.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

/** Most requests in any window of `windowMs` (sliding over the sorted times). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

function runTaker(args: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [TAKER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`taker exited ${code}: ${err}`)),
    );
  });
}

describe.each(testDrivers())("per-connector rate limit on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
  });
  afterAll(async () => engine?.close());

  it("the token bucket allows a burst of one second, then the rate", async () => {
    const c = await createConnector(engine, { url: "http://127.0.0.1:9/x" });
    const rate = 10;
    const times: number[] = [];
    const start = Date.now();
    while (Date.now() - start < 1500) {
      const t = await takeRateToken(engine.ctx.db, { connectorId: c.id, ratePerSecond: rate });
      if (t.ok) times.push(Date.now());
      else {
        expect(t.retryAfterMs).toBeGreaterThan(0);
        expect(t.retryAfterMs).toBeLessThanOrEqual(1000 / rate + 5);
      }
    }
    // 1.5 s at 10/s plus a full bucket of 10: 25 at most; the bucket and refill are really spent.
    expect(times.length).toBeLessThanOrEqual(bucketSize(rate) + 1.5 * rate + 1);
    expect(times.length).toBeGreaterThanOrEqual(1.5 * rate);
    expect(
      maxInWindow(
        times.filter((t) => t - start > 1000),
        500,
      ),
    ).toBeLessThanOrEqual(rate / 2 + 1);
    // A slow connector (0.5/s) waits about 2 s for its next token.
    const slow = await createConnector(engine, { url: "http://127.0.0.1:9/x" });
    expect((await takeRateToken(engine.ctx.db, { connectorId: slow.id, ratePerSecond: 0.5 })).ok).toBe(true);
    const next = await takeRateToken(engine.ctx.db, { connectorId: slow.id, ratePerSecond: 0.5 });
    expect(next.ok).toBe(false);
    expect(!next.ok && next.retryAfterMs).toBeGreaterThan(1900);
  });

  it.runIf(driver === "postgres")("holds across separate OS processes sharing the database", async () => {
    const c = await createConnector(engine, { url: "http://127.0.0.1:9/x" });
    const rate = 20;
    // Both processes start together, well after tsx has loaded them.
    const startAt = Date.now() + 8000;
    const args = [engine.ctx.env.DATABASE_URL as string, c.id, String(rate), String(startAt), "2000"];
    const [a, b] = await Promise.all([runTaker(args), runTaker(args)]);
    const all = [...(a ?? []), ...(b ?? [])];
    // Both processes got tokens, and together no more than the bucket plus 2 s of refill.
    expect(a?.length).toBeGreaterThan(0);
    expect(b?.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(bucketSize(rate) + 2 * rate + 1);
    expect(all.length).toBeGreaterThanOrEqual(2 * rate);
  });

  it("the delivery worker spaces a connector's requests to its limit without spending attempts", async () => {
    const destination = await startDestination();
    const workers = [deliveryWorker(engine.ctx), ...(driver === "postgres" ? [deliveryWorker(engine.ctx)] : [])];
    try {
      const name = uniqueEventName("rated");
      const rate = 4;
      await createConnector(engine, { url: `${destination.url}/hook`, sourceEvent: name, rateLimitPerSecond: rate });
      for (const w of workers) await w.start();
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await engine.api("POST", "/v1/events", {
          token: engine.tokens.ingest,
          body: { name, payload: { i } },
        });
        ids.push(res.json.id);
      }
      await waitFor(() => destination.received.length >= 12, {
        timeoutMs: 15_000,
        message: "12 rate-limited deliveries",
      });
      const rows = await waitFor(async () => {
        const r = await engine.ctx.db.select().from(deliveries).where(inArray(deliveries.eventId, ids));
        return r.length === 12 && r.every((d) => d.status === "SUCCESS") ? r : null;
      });
      // Postponements spent no attempt: one attempt each.
      expect(rows.map((d) => [d.attempts, d.lastError]).filter(([n]) => n !== 1)).toEqual([]);
      // When each request left (arrival at the destination adds jitter from the busy test process).
      const attempts = await engine.ctx.db
        .select({ at: deliveryAttempts.startedAt })
        .from(deliveryAttempts)
        .where(
          inArray(
            deliveryAttempts.deliveryId,
            rows.map((d) => d.id),
          ),
        );
      const times = attempts.map((a) => a.at.getTime());
      // 12 requests at 4/s with a bucket of 4: at least (12 - 4) / 4 = 2 s from first to last.
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1950);
      expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(bucketSize(rate) + rate);
    } finally {
      for (const w of workers) await w.stop(1000);
      await destination.close();
    }
  });
});
