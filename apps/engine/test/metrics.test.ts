import type { Driver } from "@ib/db/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { systemContext } from "../src/context.ts";
import { buildReport } from "../src/reporter/build-report.ts";
import { deliveryWorker } from "../src/worker/service.ts";
import { createConnector, deliveryRow, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";

/**
 * These tests assert engine-wide totals, so each owns its engine (fresh database, own worker): the
 * totals are the test's own whatever else runs, in whatever order.
 */
async function ownEngine(driver: Driver): Promise<TestEngine> {
  const engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
  const worker = deliveryWorker(engine.ctx);
  await worker.start();
  onTestFinished(async () => {
    await worker.stop(2000);
    await engine.close();
  });
  return engine;
}

describe.each(testDrivers())("delivery metrics on %s", (driver) => {
  it("counts by status, 24 h success/failure, attempts, latency, DLQ and hourly buckets, per connector and globally", async () => {
    const engine = await ownEngine(driver);
    const dest = await startDestination((r, _n, res) => {
      const { kind } = JSON.parse(r.body).payload;
      res.writeHead(kind === "ok" ? 200 : kind === "bad" ? 400 : 500).end();
    });
    const name = uniqueEventName();
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      retryMaxAttempts: 2,
      retryBackoffBaseMs: 10,
    });
    // a second, disabled connector with nothing delivered
    await createConnector(engine, { url: dest.url, sourceEvent: uniqueEventName(), enabled: false });
    const kinds = ["ok", "ok", "ok", "bad", "down"];
    const ids: string[] = [];
    for (const kind of kinds) ids.push((await ingest(engine, name, { kind })).deliveries[0]!.id);
    const expected = ["SUCCESS", "SUCCESS", "SUCCESS", "FAILED", "DLQ"];
    for (const [i, id] of ids.entries()) {
      await waitFor(async () => (await deliveryRow(engine, id)).status === expected[i], {
        message: `${id} ${expected[i]}`,
      });
    }

    const res = await engine.api("GET", `${BASE}/connectors/${connector.id}/metrics`, { token: engine.tokens.viewer });
    expect(res.status).toBe(200);
    const m = res.json;
    expect(m).toMatchObject({
      connectorId: connector.id,
      enabled: true,
      counts: { PENDING: 0, PROCESSING: 0, RETRY_SCHEDULED: 0, SUCCESS: 3, FAILED: 1, DLQ: 1 },
      success24h: 3,
      failure24h: 2,
      failedAttempts24h: 3,
      attempts24h: 6,
      successRate: 0.6,
      dlqOpen: 1,
      circuitState: "closed",
    });
    expect(m.latencyMs.p50).toEqual(expect.any(Number));
    expect(m.latencyMs.p99).toBeGreaterThanOrEqual(m.latencyMs.p50);
    expect(m.hourly).toHaveLength(24);
    const hours = m.hourly.map((b: { hour: string }) => new Date(b.hour).getTime());
    // 24 consecutive hours ending with the current one (robust to an hour boundary passing mid-test)
    expect(hours.slice(1).every((h: number, i: number) => h - hours[i] === 3_600_000)).toBe(true);
    expect(Math.abs(hours[23] - Math.floor(Date.now() / 3_600_000) * 3_600_000)).toBeLessThanOrEqual(3_600_000);
    const sum = (k: "success" | "failure") =>
      m.hourly.reduce((t: number, b: { success: number; failure: number }) => t + b[k], 0);
    expect([sum("success"), sum("failure")]).toEqual([3, 2]);
    expect(m.hourly.reduce((t: number, b: { failedAttempts: number }) => t + b.failedAttempts, 0)).toBe(3);

    const g = (await engine.api("GET", `${BASE}/metrics`)).json;
    expect(g).toMatchObject({
      connectorsActive: 1,
      connectorsTotal: 2,
      success24h: 3,
      failure24h: 2,
      failedAttempts24h: 3,
      attempts24h: 6,
      dlqOpen: 1,
      circuitsOpen: 0,
    });
    expect(g.hourly.reduce((t: number, b: { success: number }) => t + b.success, 0)).toBe(3);
    expect(g.connectors.find((c: { id: string }) => c.id === connector.id)).toMatchObject({
      success24h: 3,
      failure24h: 2,
      failedAttempts24h: 3,
      dlqOpen: 1,
      circuitState: "closed",
    });

    expectEnvelope(await engine.api("GET", `${BASE}/connectors/con_missing/metrics`), 404, "NOT_FOUND");
    expectEnvelope(await engine.api("GET", `${BASE}/metrics`, { token: null }), 401);
    expectEnvelope(await engine.api("GET", `${BASE}/metrics`, { token: engine.tokens.ingest }), 403);
    await dest.close();
  });
});

// Issue 11 item 8: the 24 h counts are outcomes of attempts, so a retry-DLQ that redelivers the
// deliveries of an outage does not erase the outage ("100 % · 0 failed" right after it).
describe.each(testDrivers())("24 h counts across a retry-DLQ on %s", (driver) => {
  it("failures stay counted after a retry-DLQ, the redeliveries count as successes, failed attempts are counted", async () => {
    const engine = await ownEngine(driver);
    let up = false;
    const dest = await startDestination((_r, _n, res) => res.writeHead(up ? 200 : 503).end());
    const name = uniqueEventName();
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      retryMaxAttempts: 2,
      retryBackoffBaseMs: 10,
      circuitFailureThreshold: 1000, // the breaker is not under test: every attempt calls the destination
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ingest(engine, name, { i })).deliveries[0]!.id);
    const allIn = async (status: string) => {
      for (const id of ids)
        await waitFor(async () => (await deliveryRow(engine, id)).status === status, { message: `${id} ${status}` });
    };
    await allIn("DLQ");
    const metricsPath = `${BASE}/connectors/${connector.id}/metrics`;
    expect((await engine.api("GET", metricsPath)).json).toMatchObject({
      success24h: 0,
      failure24h: 3,
      failedAttempts24h: 6,
      attempts24h: 6,
      dlqOpen: 3,
    });

    // The destination is back; the operator sends the DLQ again and every delivery gets through.
    up = true;
    const retried = await engine.api("POST", `${BASE}/connectors/${connector.id}/retry-dlq`);
    expect(retried.json).toEqual({ requeued: 3, matched: 3 });
    await allIn("SUCCESS");

    const after = {
      success24h: 3,
      failure24h: 3,
      failedAttempts24h: 6,
      attempts24h: 9,
      successRate: 0.5,
      dlqOpen: 0,
    };
    const m = (await engine.api("GET", metricsPath)).json;
    expect(m).toMatchObject({ ...after, counts: { SUCCESS: 3, DLQ: 0 } });
    type Bucket = { success: number; failure: number; failedAttempts: number };
    const sums = (hourly: Bucket[]) =>
      hourly.reduce(
        (t, b) => ({
          success: t.success + b.success,
          failure: t.failure + b.failure,
          failedAttempts: t.failedAttempts + b.failedAttempts,
        }),
        { success: 0, failure: 0, failedAttempts: 0 },
      );
    expect(sums(m.hourly)).toEqual({ success: 3, failure: 3, failedAttempts: 6 });

    // The same numbers engine-wide (the test's own engine has this one connector), in its row, and in the report.
    const g = (await engine.api("GET", `${BASE}/metrics`)).json;
    expect(g).toMatchObject(after);
    expect(sums(g.hourly)).toEqual({ success: 3, failure: 3, failedAttempts: 6 });
    expect(g.connectors).toEqual([
      expect.objectContaining({ id: connector.id, success24h: 3, failure24h: 3, failedAttempts24h: 6, dlqOpen: 0 }),
    ]);
    const report = await buildReport({ ctx: systemContext(engine.ctx) });
    expect(report).toMatchObject({ success24h: 3, failure24h: 3, failedAttempts24h: 6, dlqOpen: 0 });
    expect(sums(report.hourly)).toEqual({ success: 3, failure: 3, failedAttempts: 6 });
    expect(report.connectors).toEqual([
      {
        id: connector.id,
        name: connector.name,
        enabled: true,
        success24h: 3,
        failure24h: 3,
        failedAttempts24h: 6,
        dlqOpen: 0,
      },
    ]);
    await dest.close();
  });
});
