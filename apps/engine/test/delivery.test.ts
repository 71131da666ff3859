import { auditLog } from "@ib/db";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { createConnector, deliveryRow, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";

describe.each(testDrivers())("delivery logs and retries on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
    worker = deliveryWorker(engine.ctx);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    for (const fn of cleanup) await fn();
    await engine?.close();
  });

  const settled = (id: string, status: string) =>
    waitFor(async () => (await deliveryRow(engine, id)).status === status, { message: `${id} to be ${status}` });

  it("retry-dlq requeues the DLQ for a fresh round that succeeds, keeping the history", async () => {
    let healthy = false;
    const dest = await startDestination((_r, _n, res) => res.writeHead(healthy ? 200 : 502).end());
    cleanup.push(() => dest.close());
    const name = uniqueEventName();
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      retryMaxAttempts: 2,
      retryBackoffBaseMs: 10,
    });
    const a = await ingest(engine, name, { n: 1 });
    const b = await ingest(engine, name, { n: 2 });
    for (const r of [a, b]) await settled(r.deliveries[0]!.id, "DLQ");

    // Only admins may retry
    expectEnvelope(
      await engine.api("POST", `${BASE}/connectors/${connector.id}/retry-dlq`, { token: engine.tokens.viewer }),
      403,
    );
    expectEnvelope(await engine.api("POST", `${BASE}/connectors/con_missing/retry-dlq`), 404, "NOT_FOUND");

    healthy = true;
    const res = await engine.api("POST", `${BASE}/connectors/${connector.id}/retry-dlq`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ requeued: 2, matched: 2 });
    for (const r of [a, b]) await settled(r.deliveries[0]!.id, "SUCCESS");
    const row = await deliveryRow(engine, a.deliveries[0]!.id);
    expect(row).toMatchObject({ round: 2, attempts: 1, totalAttempts: 3 });

    const detail = await engine.api("GET", `${BASE}/deliveries/${row.id}`, { token: engine.tokens.viewer });
    expect(detail.status).toBe(200);
    expect(detail.json.attemptLog.map((x: { round: number; outcome: string }) => `${x.round}:${x.outcome}`)).toEqual([
      "1:RETRY_SCHEDULED",
      "1:DLQ",
      "2:SUCCESS",
    ]);
    expect(detail.json.event).toMatchObject({ id: a.id, name, payload: { n: 1 } });
    expect(detail.json.connectorName).toBe(connector.name);

    const [entry] = await engine.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "connector.retry_dlq"))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    expect(entry).toMatchObject({ target: connector.id, details: { requeued: 2 } });

    // Nothing left in the DLQ: a second click requeues nothing
    expect((await engine.api("POST", `${BASE}/connectors/${connector.id}/retry-dlq`)).json).toEqual({
      requeued: 0,
      matched: 0,
    });
  });

  it("retries a single FAILED delivery and refuses other statuses", async () => {
    let ok = false;
    const dest = await startDestination((_r, _n, res) => res.writeHead(ok ? 200 : 422).end());
    cleanup.push(() => dest.close());
    const name = uniqueEventName();
    await createConnector(engine, { url: dest.url, sourceEvent: name });
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    await settled(d!.id, "FAILED");
    ok = true;
    const res = await engine.api("POST", `${BASE}/deliveries/${d!.id}/retry`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: d!.id, status: "PENDING", round: 2 });
    await settled(d!.id, "SUCCESS");
    expectEnvelope(await engine.api("POST", `${BASE}/deliveries/${d!.id}/retry`), 409, "CONFLICT");
    expectEnvelope(await engine.api("POST", `${BASE}/deliveries/dlv_missing/retry`), 404, "NOT_FOUND");
    expectEnvelope(
      await engine.api("POST", `${BASE}/deliveries/${d!.id}/retry`, { token: engine.tokens.support }),
      403,
    );
    const [entry] = await engine.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "delivery.retry"))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    expect(entry).toMatchObject({ target: d!.id, details: { from: "FAILED", round: 2 } });
  });

  it("lists logs newest first with attempts, filters and cursor pagination", async () => {
    const dest = await startDestination((r, _n, res) =>
      res.writeHead(JSON.parse(r.body).payload.fail ? 400 : 200).end(),
    );
    cleanup.push(() => dest.close());
    const name = uniqueEventName();
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await ingest(engine, name, { i, fail: i % 2 === 1 });
      ids.push(r.deliveries[0]!.id);
    }
    for (const [i, id] of ids.entries()) await settled(id, i % 2 === 1 ? "FAILED" : "SUCCESS");

    const logs = `${BASE}/connectors/${connector.id}/logs`;
    const page1 = await engine.api("GET", `${logs}?limit=2`, { token: engine.tokens.viewer });
    expect(page1.status).toBe(200);
    expect(page1.json.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[4], ids[3]]);
    expect(page1.json.deliveries[0].attemptLog[0]).toMatchObject({ attempt: 1, outcome: "SUCCESS", statusCode: 200 });
    const page2 = await engine.api("GET", `${logs}?limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
    const page3 = await engine.api("GET", `${logs}?limit=2&cursor=${page2.json.nextCursor}`);
    expect(page3.json.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[0]]);
    expect(page3.json.nextCursor).toBeNull();

    const failed = await engine.api("GET", `${logs}?status=FAILED`);
    expect(failed.json.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[3], ids[1]]);
    const both = await engine.api("GET", `${logs}?status=failed,success`);
    expect(both.json.deliveries).toHaveLength(5);
    const byEvent = await engine.api("GET", `${logs}?eventId=${(await deliveryRow(engine, ids[2]!)).eventId}`);
    expect(byEvent.json.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[2]]);
    const future = await engine.api(
      "GET",
      `${logs}?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(future.json.deliveries).toEqual([]);
    const past = await engine.api(
      "GET",
      `${logs}?to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
    );
    expect(past.json.deliveries).toEqual([]);

    expectEnvelope(await engine.api("GET", `${logs}?status=NOPE`), 400, "VALIDATION_FAILED");
    expectEnvelope(await engine.api("GET", `${logs}?from=yesterday`), 400, "VALIDATION_FAILED");
    expectEnvelope(await engine.api("GET", `${logs}?cursor=%%%`), 400);
    expectEnvelope(await engine.api("GET", `${BASE}/connectors/con_missing/logs`), 404, "NOT_FOUND");
    expectEnvelope(await engine.api("GET", logs, { token: null }), 401);
    expectEnvelope(await engine.api("GET", logs, { token: engine.tokens.ingest }), 403);
    expectEnvelope(await engine.api("GET", `${BASE}/deliveries/dlv_missing`), 404, "NOT_FOUND");
  });
});
