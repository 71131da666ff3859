import { deliveries } from "@ib/db";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryWorker } from "../src/worker/service.ts";
import { createConnector, deliveryRow, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

describe.each(testDrivers())("worker lifecycle on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
  });
  afterAll(async () => engine?.close());

  it("several workers share the queue without delivering anything twice", async () => {
    const dest = await startDestination((_r, _n, res) => setTimeout(() => res.writeHead(200).end(), 5));
    const name = uniqueEventName();
    // A generous timeout: a retry after a timeout is a legitimate second call, not what this test looks for.
    await createConnector(engine, { url: dest.url, sourceEvent: name, timeoutMs: 30_000 });
    const workers = [0, 1, 2].map(() => deliveryWorker(engine.ctx, { batchSize: 5, concurrency: 8 }));
    await Promise.all(workers.map((w) => w.start()));
    try {
      const res = await engine.api("POST", "/v1/events/batch", {
        body: Array.from({ length: 60 }, (_, i) => ({ name, payload: { i } })),
      });
      expect(res.json.accepted).toBe(60);
      const ids = res.json.results.map((r: { deliveries: { id: string }[] }) => r.deliveries[0]!.id) as string[];
      const statuses = async () =>
        (
          await engine.ctx.db.select({ status: deliveries.status }).from(deliveries).where(inArray(deliveries.id, ids))
        ).map((r) => r.status);
      await waitFor(async () => (await statuses()).filter((s) => s === "SUCCESS").length === 60, {
        timeoutMs: 30_000,
        message: "60 deliveries to succeed",
      });
      const perDelivery = new Map<string, number>();
      for (const r of dest.received) {
        const id = r.headers["webhook-id"] as string;
        perDelivery.set(id, (perDelivery.get(id) ?? 0) + 1);
      }
      expect(perDelivery.size).toBe(60);
      expect([...perDelivery.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.stop(1000)));
      await dest.close();
    }
  });

  it("stop() finishes what it can within the grace period and hands back the leases of the rest", async () => {
    const dest = await startDestination(() => {
      // never answers
    });
    const name = uniqueEventName();
    await createConnector(engine, { url: dest.url, sourceEvent: name, timeoutMs: 30_000 });
    const worker = deliveryWorker(engine.ctx);
    await worker.start();
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    await waitFor(() => dest.received.length === 1, { message: "the call to start" });
    expect((await deliveryRow(engine, d!.id)).status).toBe("PROCESSING");
    const started = Date.now();
    await worker.stop(200);
    expect(Date.now() - started).toBeLessThan(5000);
    const [row] = await engine.ctx.db.select().from(deliveries).where(eq(deliveries.id, d!.id));
    expect(row).toMatchObject({ status: "PENDING", lockedBy: null, lockedUntil: null, attempts: 0 });
    await dest.close();
  });
});
