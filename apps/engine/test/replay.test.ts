import { auditLog, deliveries, events, replays } from "@ib/db";
import { and, count, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayService } from "../src/verbs/replays/replay-service.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { createConnector, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";
const url = "http://127.0.0.1:9/unused";

describe.each(testDrivers())("replays on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
  });
  afterAll(async () => engine?.close());

  const replay = (body: unknown, token?: string) => engine.api("POST", `${BASE}/replays`, { body, token });
  const rowCounts = async () => {
    const [d] = await engine.ctx.db.select({ n: count() }).from(deliveries);
    const [r] = await engine.ctx.db.select({ n: count() }).from(replays);
    const [a] = await engine.ctx.db.select({ n: count() }).from(auditLog);
    return { deliveries: Number(d?.n), replays: Number(r?.n), audit: Number(a?.n) };
  };
  const runReplays = async () => {
    const service = replayService(engine.ctx);
    return service.runOnce();
  };

  it("a connector created after 500 events backfills exactly the matching ones, once; a dry run changes nothing", async () => {
    const name = uniqueEventName("order");
    const from = new Date(Date.now() - 1000).toISOString();
    const batch = Array.from({ length: 500 }, (_, i) => ({
      name,
      payload: { n: i, country: i % 3 === 0 ? "BR" : "US" },
    }));
    const stored = await engine.api("POST", "/v1/events/batch", { token: engine.tokens.ingest, body: batch });
    expect(stored.json.accepted).toBe(500);
    await ingest(engine, uniqueEventName("noise"), { country: "BR" });
    const expected = new Set<string>(
      stored.json.results.filter((_: unknown, i: number) => i % 3 === 0).map((r: { id: string }) => r.id),
    );
    expect(expected.size).toBe(167);

    const created = await engine.api("PUT", `${BASE}/connectors`, {
      body: {
        name: "Backfilled",
        sourceEvent: name,
        destination: { url, method: "POST" },
        filter: { all: [{ path: "$.payload.country", op: "eq", value: "BR" }] },
      },
    });
    expect(created.status).toBe(201);
    const connectorId = created.json.id as string;
    // Events after the connector exists get their delivery at ingest.
    const live = [];
    for (let i = 0; i < 5; i++) live.push(await ingest(engine, name, { n: 1000 + i, country: "BR" }));
    expect(live.every((r) => r.deliveries.length === 1)).toBe(true);
    const to = new Date(Date.now() + 60_000).toISOString(); // cut to now by the engine

    const before = await rowCounts();
    const all = await replay({ connectorId, from, to, dryRun: true });
    expect(all.status).toBe(200);
    expect(all.json).toEqual({ dryRun: true, events: 505, deliveries: 172 });
    const missing = await replay({ connectorId, from, to, onlyUndelivered: true, dryRun: true });
    expect(missing.json).toEqual({ dryRun: true, events: 500, deliveries: 167 });
    expect(await rowCounts()).toEqual(before);

    const started = await replay({ connectorId, from, to, onlyUndelivered: true });
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ replayId: expect.stringMatching(/^rpl_/), deliveries: 167 });
    const replayId = started.json.replayId as string;
    const pending = await engine.api("GET", `${BASE}/replays/${replayId}`, { token: engine.tokens.viewer });
    expect(pending.json).toMatchObject({ state: "running", planned: 167, created: 0, connectorId });

    expect(await runReplays()).toBe(1);
    const done = await engine.api("GET", `${BASE}/replays/${replayId}`);
    expect(done.json).toMatchObject({ state: "done", planned: 167, created: 167, pending: 167, delivered: 0 });
    expect(done.json.actor).toEqual({ id: expect.any(String), role: "admin" });

    const replayed = await engine.ctx.db.select().from(deliveries).where(eq(deliveries.replayId, replayId));
    expect(replayed).toHaveLength(167);
    expect(new Set(replayed.map((d) => d.eventId))).toEqual(expected);
    expect(replayed.every((d) => d.connectorId === connectorId && d.status === "PENDING")).toBe(true);
    const perEvent = await engine.ctx.db
      .select({ eventId: deliveries.eventId, n: count() })
      .from(deliveries)
      .where(eq(deliveries.connectorId, connectorId))
      .groupBy(deliveries.eventId);
    expect(perEvent).toHaveLength(172);
    expect(perEvent.every((p) => Number(p.n) === 1)).toBe(true);

    // The same backfill again finds nothing left: 0, and nothing is created.
    const againCounts = await rowCounts();
    const again = await replay({ connectorId, from, to, onlyUndelivered: true });
    expect(again.status).toBe(202);
    expect(again.json).toEqual({ replayId: null, deliveries: 0 });
    expect(await rowCounts()).toEqual(againCounts);

    const [audit] = await engine.ctx.db.select().from(auditLog).where(eq(auditLog.target, replayId));
    expect(audit).toMatchObject({ action: "replay.create", actorRole: "admin" });
    expect(audit?.details).toMatchObject({ connectorId, planned: 167, events: 500, onlyUndelivered: true });
  });

  it("a range with no matching event answers 0 and creates nothing", async () => {
    const connector = await createConnector(engine, { url, sourceEvent: uniqueEventName("empty") });
    const before = await rowCounts();
    const res = await replay({
      connectorId: connector.id,
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ replayId: null, deliveries: 0 });
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses bad input with the envelope and makes nothing", async () => {
    const name = uniqueEventName("bad");
    const connector = await createConnector(engine, { url, sourceEvent: name });
    const { id: eventId } = await ingest(engine, uniqueEventName("elsewhere"));
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const before = await rowCounts();
    const cases: [unknown, number, RegExp][] = [
      [{ connectorId: connector.id, from: iso(now - 1000), to: iso(now - 2000) }, 400, /before to/],
      [{ connectorId: connector.id, from: iso(now - 1000), to: iso(now - 1000) }, 400, /before to/],
      [{ connectorId: connector.id, from: iso(now - 31 * 86_400_000), to: iso(now) }, 400, /retention window/],
      [{ connectorId: connector.id, from: iso(now + 60_000), to: iso(now + 120_000) }, 400, /future/],
      [{ connectorId: "con_doesnotexist", from: iso(now - 1000), to: iso(now) }, 404, /does not exist/],
      [{ connectorId: connector.id, from: iso(now - 1000) }, 400, /from and to are required/],
      [{ connectorId: connector.id, from: "yesterday", to: iso(now) }, 400, /from/],
      [{ connectorId: connector.id, from: iso(now - 1000), to: iso(now), eventName: "other.name" }, 400, /takes/],
      [{ connectorId: connector.id, eventId }, 400, /takes/],
      [{ connectorId: connector.id, eventId: "evt_doesnotexist" }, 404, /No stored event/],
      [{ connectorId: connector.id, from: iso(now - 1000), to: iso(now), extra: 1 }, 400, /extra|Unrecognized/i],
    ];
    for (const [body, status, message] of cases) {
      const res = await replay(body);
      expectEnvelope(res, status);
      expect(res.json.error.message, JSON.stringify(body)).toMatch(message);
    }
    expectEnvelope(
      await replay({ connectorId: connector.id, from: iso(now - 1000), to: iso(now) }, engine.tokens.viewer),
      403,
    );
    expectEnvelope(await engine.api("GET", `${BASE}/replays/rpl_doesnotexist`), 404);
    expect(await rowCounts()).toEqual(before);
  });

  it("replays one event to one connector; the receiver gets a new delivery id and the event id in the body", async () => {
    const dest = await startDestination();
    const worker: DeliveryWorker = deliveryWorker(engine.ctx);
    await worker.start();
    try {
      const name = uniqueEventName("one");
      const connector = await createConnector(engine, {
        url: dest.url,
        sourceEvent: name,
        mapping: { eventId: "$.id", n: "$.payload.n" },
      });
      const first = await ingest(engine, name, { n: 7 });
      await waitFor(() => dest.received.length === 1, { message: "the original delivery" });

      const res = await replay({ connectorId: connector.id, eventId: first.id });
      expect(res.status).toBe(202);
      expect(res.json.deliveries).toBe(1);
      await runReplays();
      await waitFor(() => dest.received.length === 2, { message: "the replayed delivery" });
      const [original, replayed] = dest.received;
      expect(JSON.parse(replayed!.body)).toEqual({ eventId: first.id, n: 7 });
      expect(replayed!.headers["webhook-id"]).not.toBe(original!.headers["webhook-id"]);
      const [row] = await engine.ctx.db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.eventId, first.id), isNotNull(deliveries.replayId)));
      expect(replayed!.headers["webhook-id"]).toBe(row?.id);
      const progress = await waitFor(
        async () => {
          const r = await engine.api("GET", `${BASE}/replays/${res.json.replayId}`);
          return r.json.delivered === 1 ? r.json : undefined;
        },
        { message: "the replay to show its delivery" },
      );
      expect(progress).toMatchObject({ state: "done", planned: 1, created: 1, delivered: 1, failed: 0, pending: 0 });

      // The events explorer shows the replayed delivery as such.
      const shown = await engine.api("GET", `${BASE}/events/${first.id}`);
      expect(shown.json.deliveries.map((d: { replayId: string | null }) => d.replayId)).toEqual([
        null,
        res.json.replayId,
      ]);
    } finally {
      await worker.stop(2000);
      await dest.close();
    }
  });

  it("a runner that lost its lease creates nothing more; another one finishes the replay", async () => {
    const name = uniqueEventName("lease");
    const connector = await createConnector(engine, { url, sourceEvent: name });
    const from = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++) await ingest(engine, name, { i });
    // `to` is exclusive and `received_at` is kept to the millisecond (rounded): an event answered within the
    // same millisecond as `new Date()` here can fall on `to` itself, so the window ends a second later.
    const res = await replay({ connectorId: connector.id, from, to: new Date(Date.now() + 1000).toISOString() });
    // Someone else holds it, with a lease in the future: this runner leaves it alone.
    await engine.ctx.db
      .update(replays)
      .set({ lockedBy: "someone-else", lockedUntil: new Date(Date.now() + 60_000) })
      .where(eq(replays.id, res.json.replayId));
    expect(await runReplays()).toBe(0);
    expect(
      await engine.ctx.db.select().from(deliveries).where(eq(deliveries.replayId, res.json.replayId)),
    ).toHaveLength(0);
    // Its holder died: the lease runs out and the replay is taken over and finished, once.
    await engine.ctx.db
      .update(replays)
      .set({ lockedUntil: new Date(Date.now() - 1) })
      .where(eq(replays.id, res.json.replayId));
    expect(await runReplays()).toBe(1);
    const rows = await engine.ctx.db.select().from(deliveries).where(eq(deliveries.replayId, res.json.replayId));
    expect(rows).toHaveLength(3);
    const [stored] = await engine.ctx.db.select().from(events).where(eq(events.id, rows[0]!.eventId));
    expect(stored?.name).toBe(name);
  });

  it("bulk retry requeues only the DLQ deliveries of the subset, showing the count first", async () => {
    const name = uniqueEventName("dlq");
    const connector = await createConnector(engine, { url, sourceEvent: name });
    const other = await createConnector(engine, { url, sourceEvent: name });
    const { id: eventId } = await ingest(engine, uniqueEventName("unrelated"));
    const hour = 3_600_000;
    const t0 = Date.now() - 10 * hour;
    const rows = [
      { connectorId: connector.id, at: t0 + hour, error: "HTTP 503 Service Unavailable", status: "DLQ" },
      { connectorId: connector.id, at: t0 + 2 * hour, error: "HTTP 503 Service Unavailable", status: "DLQ" },
      { connectorId: connector.id, at: t0 + 3 * hour, error: "connect ECONNREFUSED", status: "DLQ" },
      { connectorId: connector.id, at: t0 + 8 * hour, error: "HTTP 503 Service Unavailable", status: "DLQ" },
      { connectorId: connector.id, at: t0 + 2 * hour, error: "HTTP 503 Service Unavailable", status: "FAILED" },
      { connectorId: other.id, at: t0 + 2 * hour, error: "HTTP 503 Service Unavailable", status: "DLQ" },
    ] as const;
    const ids: string[] = [];
    for (const [i, r] of rows.entries()) {
      const id = `dlv_bulk_${name}_${i}`;
      ids.push(id);
      await engine.ctx.db.insert(deliveries).values({
        id,
        connectorId: r.connectorId,
        eventId,
        status: r.status,
        lastError: r.error,
        attempts: 5,
        createdAt: new Date(r.at),
        completedAt: new Date(r.at),
      });
    }
    const path = `${BASE}/connectors/${connector.id}/retry-dlq`;
    const subset = {
      from: new Date(t0).toISOString(),
      to: new Date(t0 + 5 * hour).toISOString(),
      errorContains: "503 service",
    };
    // The deliveries list filters the same way, so an admin sees what a bulk retry would take.
    const listed = await engine.api(
      "GET",
      `${BASE}/connectors/${connector.id}/logs?status=DLQ&errorContains=503%20SERVICE`,
    );
    expect(listed.json.deliveries.map((d: { id: string }) => d.id).sort()).toEqual([ids[0], ids[1], ids[3]].sort());
    const before = await rowCounts();
    const counted = await engine.api("POST", path, { body: { ...subset, dryRun: true } });
    expect(counted.status).toBe(200);
    expect(counted.json).toEqual({ requeued: 0, matched: 2 });
    expect(await rowCounts()).toEqual(before);

    const res = await engine.api("POST", path, { body: subset });
    expect(res.json).toEqual({ requeued: 2, matched: 2 });
    const statuses = await Promise.all(
      ids.map(async (id) => (await engine.ctx.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]?.status),
    );
    expect(statuses).toEqual(["PENDING", "PENDING", "DLQ", "DLQ", "FAILED", "DLQ"]);
    const [audit] = await engine.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.target, connector.id), eq(auditLog.action, "connector.retry_dlq")));
    expect(audit?.details).toMatchObject({ requeued: 2, errorContains: "503 service", from: subset.from });

    expectEnvelope(await engine.api("POST", path, { body: { from: subset.to, to: subset.from } }), 400);
    expectEnvelope(await engine.api("POST", path, { body: { errorContains: "" } }), 400);
    expectEnvelope(await engine.api("POST", path, { body: { to: "soon" } }), 400);
    // No body: every remaining DLQ delivery of the connector, as before.
    expect((await engine.api("POST", path)).json).toEqual({ requeued: 2, matched: 2 });
  });
});
