import { newId } from "@ib/core/ids";
import { deliveries, events, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { claimDeliveries } from "../src/worker/claim.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import {
  attemptRows,
  createConnector,
  deliveryRow,
  insertLeasedDelivery,
  startDestination,
  successfulDelivery,
  uniqueEventName,
} from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

// Issue 11 item 3: a delivery that kills its worker (or whose attempt throws) must spend attempts and reach
// the DLQ, instead of being claimed again forever.
describe.each(testDrivers())("lost leases and crashed attempts on %s", (driver) => {
  let engine: TestEngine;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
  });
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
    await engine?.close();
  });

  async function destination(...args: Parameters<typeof startDestination>) {
    const d = await startDestination(...args);
    cleanup.push(() => d.close());
    return d;
  }
  /** A worker for this test only (stopped when it ends, so tests do not take each other's deliveries). */
  async function worker(overrides: Parameters<typeof deliveryWorker>[1] = {}) {
    const w: DeliveryWorker = deliveryWorker(engine.ctx, overrides);
    await w.start();
    onTestFinished(() => w.stop(1000));
    return w;
  }

  /** A delivery left PROCESSING by a worker that died: its lease ran out a second ago. */
  const orphan = (connectorId: string, name: string, attempts = 0) =>
    insertLeasedDelivery(engine, {
      connectorId,
      name,
      attempts,
      lockedBy: "dead-worker",
      lockedUntil: new Date(Date.now() - 1000),
    });

  it("an expired lease counts as a failed attempt ('worker lost the lease'), then the delivery is retried", async () => {
    const dest = await destination();
    const name = uniqueEventName("lease");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name, retryMaxAttempts: 3 });
    const id = await orphan(connector.id, name);
    await worker();
    const row = await successfulDelivery(engine, id);
    expect(row).toMatchObject({ attempts: 2, totalAttempts: 2, lastError: null });
    const attempts = await attemptRows(engine, id);
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "RETRY_SCHEDULED"],
      [2, "SUCCESS"],
    ]);
    expect(attempts[0]).toMatchObject({ statusCode: null, request: null, response: null });
    expect(attempts[0]?.error).toContain("worker lost the lease");
    expect(dest.received).toHaveLength(1);
  });

  it("a delivery whose worker keeps dying reaches the DLQ after retryMaxAttempts, without another call", async () => {
    const dest = await destination();
    const name = uniqueEventName("poison");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name, retryMaxAttempts: 3 });
    // Two workers already died on it; the third lost lease is its last attempt.
    const id = await orphan(connector.id, name, 2);
    await worker();
    const row = await waitFor(async () => {
      const r = await deliveryRow(engine, id);
      return r.status === "DLQ" ? r : null;
    });
    expect(row).toMatchObject({ attempts: 3, lockedBy: null });
    expect(row.lastError).toMatch(/worker lost the lease.*gave up after 3 attempts/);
    expect(row.completedAt).toBeInstanceOf(Date);
    const [attempt] = await attemptRows(engine, id);
    expect(attempt).toMatchObject({ attempt: 3, outcome: "DLQ" });
    expect(dest.received).toHaveLength(0);
  });

  it("an attempt that throws is recorded as a failed attempt at once, and a poison delivery reaches the DLQ", async () => {
    const dest = await destination();
    const name = uniqueEventName("throws");
    // timeoutMs + 5 s above the lease: the worker extends the lease before the call. A trigger makes that
    // statement fail for this connector, so the attempt's task throws before it sends anything.
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      retryMaxAttempts: 3,
      timeoutMs: 1000,
    });
    await execute(
      engine.ctx.db,
      sql.raw(`create or replace function ib_test_refuse_extension() returns trigger language plpgsql as $$
        begin raise exception 'lease extension refused by the test'; end $$`),
    );
    await execute(
      engine.ctx.db,
      sql.raw(`create trigger ib_test_refuse_extension before update on deliveries for each row
        when (old.status = 'PROCESSING' and new.status = 'PROCESSING' and old.locked_by = new.locked_by
              and new.connector_id = '${connector.id}')
        execute function ib_test_refuse_extension()`),
    );
    cleanup.push(async () => {
      await execute(engine.ctx.db, sql.raw("drop trigger if exists ib_test_refuse_extension on deliveries"));
    });
    // A lease of 3 s: before the fix the crashed task left the lease to run out and the delivery was claimed
    // again, forever, without spending an attempt.
    await worker({ leaseMs: 3000 });
    const res = await engine.api("POST", "/v1/events", { token: engine.tokens.ingest, body: { name, payload: {} } });
    const id = res.json.deliveries[0].id as string;
    const row = await waitFor(
      async () => {
        const r = await deliveryRow(engine, id);
        return r.status === "DLQ" ? r : null;
      },
      { timeoutMs: 8000, message: "the poison delivery to reach the DLQ" },
    );
    expect(row.attempts).toBe(3);
    expect(row.lastError).toMatch(/lease extension refused by the test.*gave up after 3 attempts/);
    const attempts = await attemptRows(engine, id);
    expect(attempts.map((a) => a.outcome)).toEqual(["RETRY_SCHEDULED", "RETRY_SCHEDULED", "DLQ"]);
    expect(attempts.every((a) => a.error?.includes("lease extension refused by the test"))).toBe(true);
    expect(dest.received).toHaveLength(0);
  });

  // Issue 11 item 4: the claim filled its batch with due deliveries first, so a dead worker's deliveries
  // waited until the whole backlog had drained.
  it("a dead worker's deliveries are taken back while a backlog keeps the queue full", async () => {
    const slow = await destination((_r, _n, res) => setTimeout(() => res.writeHead(200).end(), 25));
    const busy = await createConnector(engine, { url: slow.url, sourceEvent: uniqueEventName("backlog") });
    const fine = await destination();
    const other = await createConnector(engine, { url: fine.url, sourceEvent: uniqueEventName("orphaned") });
    const backlog = 400;
    const at = Date.now() - 60_000;
    // The dead worker's three deliveries are the oldest: it claimed them just before it died.
    const orphaned = await insertDue(other.id, other.sourceEvent, 3, new Date(at - 1000));
    await insertDue(busy.id, busy.sourceEvent, backlog, new Date(at));
    const dead = await claimDeliveries(engine.ctx.db, { workerId: "dies-now", limit: 3, leaseMs: 200 });
    expect(dead.map((d) => d.id).sort()).toEqual([...orphaned].sort());

    await worker({ concurrency: 4, batchSize: 4 });
    const unfinished = async () => {
      const [row] = await execute<{ n: number | string }>(
        engine.ctx.db,
        sql`select count(*) as n from deliveries where connector_id = ${busy.id} and status <> 'SUCCESS'`,
      );
      return Number(row?.n);
    };
    let backlogLeft = -1;
    const started = Date.now();
    await waitFor(
      async () => {
        const [row] = await execute<{ n: number | string }>(
          engine.ctx.db,
          sql`select count(*) as n from delivery_attempts where connector_id = ${other.id}`,
        );
        if (Number(row?.n) < 3) return false;
        backlogLeft = await unfinished();
        return true;
      },
      { timeoutMs: 30_000, message: "the dead worker's deliveries to be taken back" },
    );
    console.info(
      `${driver}: the dead worker's deliveries were taken back after ${Date.now() - started} ms, ${backlogLeft} of ${backlog} backlog left`,
    );
    // Taken back within moments, not after the backlog: most of it is still waiting.
    expect(backlogLeft).toBeGreaterThan(backlog / 2);
    for (const id of orphaned) {
      const attempts = await attemptRows(engine, id);
      expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([[1, "RETRY_SCHEDULED"]]);
      expect(attempts[0]?.error).toContain("worker lost the lease");
    }
  });

  async function insertDue(connectorId: string, name: string, count: number, nextAttemptAt: Date) {
    const rows = Array.from({ length: count }, () => ({ eventId: newId("event"), id: newId("delivery") }));
    await engine.ctx.db.insert(events).values(rows.map((r, i) => ({ id: r.eventId, name, payload: { i } })));
    await engine.ctx.db
      .insert(deliveries)
      .values(rows.map((r) => ({ id: r.id, connectorId, eventId: r.eventId, nextAttemptAt })));
    return rows.map((r) => r.id);
  }
});
