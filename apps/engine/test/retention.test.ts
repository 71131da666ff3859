import { newId } from "@ib/core/ids";
import { type DeliveryStatus, deliveries, deliveryAttempts, events, expectations, unexpectedEvents } from "@ib/db";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { pruneOldData } from "../src/retention/prune.ts";
import { retentionService } from "../src/retention/service.ts";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const DAY = 86_400_000;

describe.each(testDrivers())("retention on %s", (driver) => {
  let engine: TestEngine;
  let connectorId: string;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_RETENTION_DAYS: "7" });
    connectorId = (await createConnector(engine, { url: "http://127.0.0.1:9/none", sourceEvent: uniqueEventName() }))
      .id;
  });
  afterAll(async () => engine?.close());

  const ago = (days: number) => new Date(Date.now() - days * DAY);

  async function event(receivedDaysAgo: number) {
    const id = newId("event");
    await engine.ctx.db
      .insert(events)
      .values({ id, name: "retention.test", payload: {}, receivedAt: ago(receivedDaysAgo) });
    return id;
  }
  async function delivery(eventId: string, status: DeliveryStatus, completedDaysAgo: number | null) {
    const id = newId("delivery");
    await engine.ctx.db.insert(deliveries).values({
      id,
      connectorId,
      eventId,
      status,
      completedAt: completedDaysAgo === null ? null : ago(completedDaysAgo),
      lockedBy: status === "PROCESSING" ? "some-worker" : null,
      lockedUntil: status === "PROCESSING" ? new Date(Date.now() + 60_000) : null,
    });
    await engine.ctx.db.insert(deliveryAttempts).values({
      id: newId("attempt"),
      deliveryId: id,
      connectorId,
      attempt: 1,
      outcome: status,
    });
    return id;
  }
  const existing = async (table: typeof events | typeof deliveries, ids: string[]) =>
    (await engine.ctx.db.select({ id: table.id }).from(table).where(inArray(table.id, ids))).map((r) => r.id).sort();

  it("prunes old finished deliveries and their events, keeps DLQ, unfinished and recent ones", async () => {
    const oldSuccess = await event(10);
    const dOldSuccess = await delivery(oldSuccess, "SUCCESS", 10);
    const oldFailed = await event(10);
    const dOldFailed = await delivery(oldFailed, "FAILED", 9);
    const oldDlq = await event(20);
    const dOldDlq = await delivery(oldDlq, "DLQ", 20);
    const oldPending = await event(10);
    const dOldPending = await delivery(oldPending, "RETRY_SCHEDULED", null);
    const oldInFlight = await event(10);
    const dOldInFlight = await delivery(oldInFlight, "PROCESSING", null);
    const recent = await event(1);
    const dRecent = await delivery(recent, "SUCCESS", 1);
    const oldButRecentlyDone = await event(30);
    const dRecentlyDone = await delivery(oldButRecentlyDone, "SUCCESS", 2);
    const orphan = await event(10);
    const mixed = await event(10);
    const dMixedSuccess = await delivery(mixed, "SUCCESS", 10);
    const dMixedDlq = await delivery(mixed, "DLQ", 10);

    const result = await retentionService(engine.ctx, { batchSize: 2 }).runOnce();
    expect(result.incomplete).toBe(false);

    const allDeliveries = [
      dOldSuccess,
      dOldFailed,
      dOldDlq,
      dOldPending,
      dOldInFlight,
      dRecent,
      dRecentlyDone,
      dMixedSuccess,
      dMixedDlq,
    ];
    expect(await existing(deliveries, allDeliveries)).toEqual(
      [dOldDlq, dOldPending, dOldInFlight, dRecent, dRecentlyDone, dMixedDlq].sort(),
    );
    const allEvents = [
      oldSuccess,
      oldFailed,
      oldDlq,
      oldPending,
      oldInFlight,
      recent,
      oldButRecentlyDone,
      orphan,
      mixed,
    ];
    expect(await existing(events, allEvents)).toEqual(
      [oldDlq, oldPending, oldInFlight, recent, oldButRecentlyDone, mixed].sort(),
    );
    // Attempts went with their deliveries; the kept ones still have theirs.
    const attempts = await engine.ctx.db
      .select({ deliveryId: deliveryAttempts.deliveryId })
      .from(deliveryAttempts)
      .where(inArray(deliveryAttempts.deliveryId, allDeliveries));
    expect(new Set(attempts.map((a) => a.deliveryId))).toEqual(
      new Set([dOldDlq, dOldPending, dOldInFlight, dRecent, dRecentlyDone, dMixedDlq]),
    );

    // Once the DLQ item is handled (retried and delivered long enough ago), it goes too.
    await engine.ctx.db
      .update(deliveries)
      .set({ status: "SUCCESS", completedAt: ago(8) })
      .where(eq(deliveries.id, dOldDlq));
    await retentionService(engine.ctx).runOnce();
    expect(await existing(events, [oldDlq])).toEqual([]);
  });

  it("prunes reconciliation records that aged out: closed expectations and UNEXPECTED events, never an OPEN one", async () => {
    const expectation = async (status: "OPEN" | "OBSERVED" | "MISMATCH" | "MISSING", daysAgo: number) => {
      const id = newId("expectation");
      await engine.ctx.db.insert(expectations).values({
        id,
        connectorId,
        deliveryId: newId("delivery"),
        eventId: newId("event"),
        eventName: "retention.confirmed",
        eventKey: "$.payload.id",
        key: id,
        status,
        openedAt: ago(daysAgo + 1),
        dueAt: ago(daysAgo),
        missingAt: status === "MISSING" ? ago(daysAgo) : null,
        closedAt: status === "OPEN" ? null : ago(daysAgo),
      });
      return id;
    };
    const unexpected = async (daysAgo: number) => {
      const id = newId("unexpected");
      await engine.ctx.db.insert(unexpectedEvents).values({
        id,
        connectorId,
        eventId: newId("event"),
        eventName: "retention.confirmed",
        key: null,
        reason: "no_key",
        receivedAt: ago(daysAgo),
      });
      return id;
    };
    const old = [
      await expectation("OBSERVED", 40),
      await expectation("MISMATCH", 40),
      await expectation("MISSING", 40),
    ];
    const kept = [await expectation("OPEN", 40), await expectation("OBSERVED", 2), await expectation("MISSING", 2)];
    const oldUnexpected = await unexpected(40);
    const recentUnexpected = await unexpected(2);
    const result = await pruneOldData({ ctx: systemContext(engine.ctx), input: { cutoff: ago(30), batchSize: 2 } });
    expect(result).toMatchObject({ expectations: 3, unexpectedEvents: 1, incomplete: false });
    const left = (await engine.ctx.db.select({ id: expectations.id }).from(expectations)).map((r) => r.id);
    expect(left).toEqual(expect.arrayContaining(kept));
    expect(left.filter((id) => old.includes(id))).toEqual([]);
    const leftUnexpected = (await engine.ctx.db.select({ id: unexpectedEvents.id }).from(unexpectedEvents)).map(
      (r) => r.id,
    );
    expect(leftUnexpected).toContain(recentUnexpected);
    expect(leftUnexpected).not.toContain(oldUnexpected);
  });

  it("works in small batches and stops at the batch budget with work left", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const e = await event(40);
      ids.push(e);
      await delivery(e, "SUCCESS", 40);
    }
    const partial = await pruneOldData({
      ctx: systemContext(engine.ctx),
      input: { cutoff: ago(7), batchSize: 2, maxBatches: 2 },
    });
    expect(partial).toMatchObject({ deliveries: 4, events: 0, batches: 2, incomplete: true });
    const rest = await pruneOldData({ ctx: systemContext(engine.ctx), input: { cutoff: ago(7), batchSize: 2 } });
    expect(rest.deliveries).toBe(3);
    expect(rest.events).toBe(7);
    expect(rest.batches).toBeGreaterThanOrEqual(6);
    expect(await existing(events, ids)).toEqual([]);
  });

  it.skipIf(driver === "pglite")(
    "skips rows another transaction holds instead of waiting for them (PostgreSQL only: PGlite has one connection)",
    async () => {
      const e = await event(15);
      const d = await delivery(e, "SUCCESS", 15);
      const other = await event(15);
      const dOther = await delivery(other, "FAILED", 15);
      let pruned: Awaited<ReturnType<typeof pruneOldData>> | undefined;
      await engine.ctx.db.transaction(async (tx) => {
        await tx.execute(sql`select id from deliveries where id = ${d} for update`);
        const started = Date.now();
        pruned = await pruneOldData({ ctx: systemContext(engine.ctx), input: { cutoff: ago(7), batchSize: 50 } });
        expect(Date.now() - started).toBeLessThan(5000);
      });
      expect(pruned?.deliveries).toBe(1);
      expect(await existing(deliveries, [d, dOther])).toEqual([d]);
      expect(await existing(events, [e, other])).toEqual([e]);
    },
  );
});
