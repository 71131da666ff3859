import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { deliveryWorker } from "../src/worker/service.ts";
import { countDeliveryUpdates, createConnector, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

// Issue 11 item 6: with `maxInFlight` (or a rate limit) the claim took whole batches of one connector and
// gave all but one back, so each delivery was rewritten ~80 times (16,038 updates for 200 deliveries).
// A delivery needs 2 row writes (claim, outcome); a few extra when a slot or a token is raced for.
describe.each(testDrivers())("row writes per delivery under maxInFlight and rate limits on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
  });
  afterAll(async () => engine?.close());

  async function ingestMany(name: string, count: number) {
    const res = await engine.api("POST", "/v1/events/batch", {
      token: engine.tokens.ingest,
      body: Array.from({ length: count }, (_, i) => ({ name, payload: { i } })),
    });
    expect(res.json.accepted).toBe(count);
  }

  async function succeeded(connectorId: string) {
    const [row] = await execute<{ n: number | string }>(
      engine.ctx.db,
      sql`select count(*) as n from deliveries where connector_id = ${connectorId} and status = 'SUCCESS'`,
    );
    return Number(row?.n);
  }

  it("maxInFlight: 1 — 200 deliveries, one at a time, about 2 row writes each", async () => {
    let current = 0;
    let peak = 0;
    const dest = await startDestination((_r, _n, res) => {
      current += 1;
      peak = Math.max(peak, current);
      setTimeout(() => {
        current -= 1;
        res.writeHead(200).end();
      }, 2);
    });
    onTestFinished(() => dest.close());
    const name = uniqueEventName("capped");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name, maxInFlight: 1 });
    const updates = await countDeliveryUpdates(engine, connector.id);
    const total = 200;
    await ingestMany(name, total);
    const worker = deliveryWorker(engine.ctx);
    await worker.start();
    onTestFinished(() => worker.stop(1000));
    await waitFor(async () => (await succeeded(connector.id)) === total, {
      timeoutMs: 60_000,
      intervalMs: 100,
      message: "200 deliveries",
    });
    const writes = await updates();
    console.info(`maxInFlight 1 on ${driver}: ${writes} updates for ${total} deliveries (${writes / total}/delivery)`);
    expect(peak).toBe(1);
    expect(dest.received).toHaveLength(total);
    expect(writes / total).toBeLessThanOrEqual(2.5);
  });

  it("rate limit 40/s — 80 deliveries, about 2 row writes each", async () => {
    const dest = await startDestination();
    onTestFinished(() => dest.close());
    const name = uniqueEventName("rated");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name, rateLimitPerSecond: 40 });
    const updates = await countDeliveryUpdates(engine, connector.id);
    const total = 80;
    await ingestMany(name, total);
    const worker = deliveryWorker(engine.ctx);
    await worker.start();
    onTestFinished(() => worker.stop(1000));
    await waitFor(async () => (await succeeded(connector.id)) === total, {
      timeoutMs: 60_000,
      intervalMs: 100,
      message: "80 rate-limited deliveries",
    });
    const writes = await updates();
    console.info(`rate 40/s on ${driver}: ${writes} updates for ${total} deliveries (${writes / total}/delivery)`);
    expect(dest.received).toHaveLength(total);
    expect(writes / total).toBeLessThanOrEqual(2.5);
  });
});
