import { createDb, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { WORK_CHANNEL } from "../src/context.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import {
  attemptRows,
  createConnector,
  deliveryRow,
  ingest,
  insertLeasedDelivery,
  startDestination,
  successfulDelivery,
  uniqueEventName,
} from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

// When a query fails right after a claim (a dropped connection, a table away), the claimed deliveries go back
// at once, as they were, instead of waiting out their lease (a minute here) and then being charged an attempt
// for a call that never happened.
const LEASE_MS = 60_000;

describe.each(testDrivers())("deliveries handed back after a failed follow-up query on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
  });
  afterAll(async () => engine?.close());

  /** A worker that claims once at start, then only when woken (its poll is longer than any test). */
  async function worker(): Promise<DeliveryWorker> {
    const w = deliveryWorker(engine.ctx, { pollMs: 120_000, leaseMs: LEASE_MS });
    await w.start();
    onTestFinished(() => w.stop(1000));
    return w;
  }

  /** A delivery whose worker died mid-attempt: PROCESSING under a lease that ran out a second ago. */
  const orphan = (connectorId: string, name: string) =>
    insertLeasedDelivery(engine, {
      connectorId,
      name,
      lockedBy: "dead-worker",
      lockedUntil: new Date(Date.now() - 1000),
    });

  it("a query failing after the claim gives the batch back at once, as it was, and costs no attempt", async () => {
    const dest = await startDestination();
    onTestFinished(() => dest.close());
    const name = uniqueEventName("handback");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name, retryMaxAttempts: 5 });
    const fresh = (await ingest(engine, name, { n: 1 })).deliveries[0]!.id;
    const lost = await orphan(connector.id, name);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const before = new Date();
    // The worker reads the connector's secrets right after claiming: that query fails while the table is away.
    await execute(engine.ctx.db, sql`alter table connector_secrets rename to connector_secrets_away`);
    let renamed = true;
    onTestFinished(async () => {
      if (renamed) await execute(engine.ctx.db, sql`alter table connector_secrets_away rename to connector_secrets`);
    });
    const started = Date.now();
    await worker();

    const back = await waitFor(
      async () => {
        const [a, b] = [await deliveryRow(engine, fresh), await deliveryRow(engine, lost)];
        return a.updatedAt > before && a.status === "PENDING" && b.updatedAt > before && b.lockedBy === null
          ? { a, b }
          : null;
      },
      { timeoutMs: 15_000, intervalMs: 20, message: "the claimed deliveries to be handed back" },
    );
    // Long before the lease would have run out.
    expect(Date.now() - started).toBeLessThan(LEASE_MS / 2);
    expect(back.a).toMatchObject({ status: "PENDING", lockedBy: null, lockedUntil: null, attempts: 0 });
    // The dead worker's delivery goes back to what it was: PROCESSING under an expired lease, to be charged
    // the attempt its previous worker lost when it is claimed next.
    expect(back.b).toMatchObject({ status: "PROCESSING", lockedBy: null, attempts: 0 });
    expect(back.b.lockedUntil!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(dest.received).toHaveLength(0);
    expect(await attemptRows(engine, fresh)).toHaveLength(0);

    await execute(engine.ctx.db, sql`alter table connector_secrets_away rename to connector_secrets`);
    renamed = false;
    await engine.ctx.dbHandle.notify(WORK_CHANNEL);
    await waitFor(async () => (await deliveryRow(engine, fresh)).status === "SUCCESS", {
      timeoutMs: 15_000,
      message: "the handed-back delivery to be delivered",
    });
    expect((await deliveryRow(engine, fresh)).attempts).toBe(1);
    const lostRow = await successfulDelivery(engine, lost, 15_000);
    expect(lostRow.attempts).toBe(2);
    expect((await attemptRows(engine, lost)).map((a) => a.outcome)).toEqual(["RETRY_SCHEDULED", "SUCCESS"]);
    expect(dest.received).toHaveLength(2);
  });

  it.runIf(driver === "postgres")(
    "pg_terminate_backend of the connection reading secrets after the claim: handed back at once, then delivered once",
    async () => {
      const dest = await startDestination();
      onTestFinished(() => dest.close());
      const name = uniqueEventName("terminated");
      await createConnector(engine, { url: dest.url, sourceEvent: name });
      const id = (await ingest(engine, name, { n: 2 })).deliveries[0]!.id;
      await new Promise((resolve) => setTimeout(resolve, 10));
      const before = new Date();
      // Another session holds connector_secrets, so the worker's read after the claim waits on it...
      const other = await createDb({ databaseUrl: engine.ctx.dbHandle.location, poolSize: 2 });
      onTestFinished(() => other.close());
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const locking = other.db.transaction(async (tx) => {
        await execute(tx, sql`lock table connector_secrets in access exclusive mode`);
        await held;
      });
      onTestFinished(async () => {
        release();
        await locking.catch(() => {});
      });
      const lockHeld = sql`select 1 from pg_locks l join pg_class c on c.oid = l.relation
          where c.relname = 'connector_secrets' and l.mode = 'AccessExclusiveLock' and l.granted`;
      await waitFor(async () => (await execute(other.db, lockHeld)).length > 0, { message: "the lock to be held" });
      const started = Date.now();
      await worker();
      // ...and is cut off there, as a dropped connection would be.
      const [victim] = await waitFor(
        async () => {
          const rows = await execute<{ pid: number }>(
            other.db,
            sql`select pid from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock' and query ilike '%connector_secrets%'`,
          );
          return rows.length > 0 ? rows : null;
        },
        { timeoutMs: 15_000, intervalMs: 20, message: "the worker to wait on the lock" },
      );
      await execute(other.db, sql`select pg_terminate_backend(${victim!.pid}::int)`);
      const row = await waitFor(
        async () => {
          const r = await deliveryRow(engine, id);
          return r.updatedAt > before && r.status === "PENDING" ? r : null;
        },
        { timeoutMs: 15_000, intervalMs: 20, message: "the delivery to be handed back" },
      );
      expect(Date.now() - started).toBeLessThan(LEASE_MS / 2);
      expect(row).toMatchObject({ lockedBy: null, lockedUntil: null, attempts: 0 });

      release();
      await locking;
      await engine.ctx.dbHandle.notify(WORK_CHANNEL);
      await waitFor(async () => (await deliveryRow(engine, id)).status === "SUCCESS", {
        timeoutMs: 15_000,
        message: "the delivery to be delivered once the connection is back",
      });
      expect((await deliveryRow(engine, id)).attempts).toBe(1);
      expect(dest.received).toHaveLength(1);
    },
  );
});
