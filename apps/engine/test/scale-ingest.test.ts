import { deliveries, events, execute } from "@ib/db";
import { count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

// POST /v1/events shares one transaction among the requests that arrive while one is open (group
// commit); each request must still get exactly the answer it would have had alone.
describe.each(testDrivers())("ingest group commit under concurrency on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  it("answers every concurrent request on its own terms: new events 202, repeats 200 with the original deliveries", async () => {
    const name = uniqueEventName("coalesce");
    const connector = await createConnector(engine, { url: "http://127.0.0.1:9/x", sourceEvent: name });
    const post = (body: unknown) => engine.api("POST", "/v1/events", { token: engine.tokens.ingest, body });
    const repeatedId = `evt_repeat_${Date.now()}`;
    // One event the database refuses inside the shared transaction: a trigger this test owns raises for
    // it, and a sequence (not rolled back with the transaction) counts how often its insert was tried.
    const tag = name.replace(/[^a-z0-9]/gi, "_").toLowerCase();
    const badId = `evt_refused_${tag}`;
    await execute(engine.ctx.db, sql.raw(`create sequence ib_test_refused_${tag}`));
    await execute(
      engine.ctx.db,
      sql.raw(`create function ib_test_refuse_${tag}() returns trigger language plpgsql as $$
        begin
          if new.id = '${badId}' then
            perform nextval('ib_test_refused_${tag}');
            raise exception 'refused by the test trigger';
          end if;
          return new;
        end $$`),
    );
    await execute(
      engine.ctx.db,
      sql.raw(`create trigger ib_test_refuse_${tag} before insert on events
        for each row execute function ib_test_refuse_${tag}()`),
    );
    try {
      const responses = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => post({ name, payload: { i } })),
        // In the middle of the burst, so it shares a transaction with others (checked below).
        post({ id: badId, name, payload: { refused: true } }),
        ...Array.from({ length: 20 }, (_, i) => post({ name, payload: { i: i + 20 } })),
        ...Array.from({ length: 10 }, () => post({ id: repeatedId, name, payload: { same: true } })),
        post({ name: "", payload: {} }),
      ]);
      const bad = responses[20];
      const fresh = [...responses.slice(0, 20), ...responses.slice(21, 41)];
      const repeats = responses.slice(41, 51);

      // Tried twice: once in a shared batch that rolled back, once alone by the fallback.
      const [attempts] = await execute<{ n: string }>(
        engine.ctx.db,
        sql.raw(`select last_value as n from ib_test_refused_${tag}`),
      );
      expect(Number(attempts?.n)).toBe(2);
      // It fails alone, with the envelope and no detail of the database error.
      expectEnvelope(bad as { status: number; json: any }, 500, "INTERNAL");
      expect(bad?.text).not.toContain("refused by the test trigger");

      // Its batch-mates were retried one by one and succeeded.
      expect(fresh.map((r) => r.status)).toEqual(Array(40).fill(202));
      expect(new Set(fresh.map((r) => r.json.id)).size).toBe(40);
      for (const r of fresh) expect(r.json.deliveries).toEqual([{ id: expect.any(String), connectorId: connector.id }]);

      expect(repeats.filter((r) => r.status === 202)).toHaveLength(1);
      expect(repeats.filter((r) => r.status === 200 && r.json.duplicate === true)).toHaveLength(9);
      const deliveryIds = new Set(repeats.map((r) => r.json.deliveries[0].id));
      expect(deliveryIds.size).toBe(1);
      // The invalid one is refused before the queue, with the envelope.
      expectEnvelope(responses[51] as { status: number; json: any }, 400);

      const stored = await engine.ctx.db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(inArray(deliveries.connectorId, [connector.id]));
      expect(stored).toHaveLength(41);
      expect(await engine.ctx.db.select().from(events).where(eq(events.id, badId))).toHaveLength(0);
    } finally {
      await execute(engine.ctx.db, sql.raw(`drop trigger if exists ib_test_refuse_${tag} on events`));
      await execute(engine.ctx.db, sql.raw(`drop function if exists ib_test_refuse_${tag}()`));
      await execute(engine.ctx.db, sql.raw(`drop sequence if exists ib_test_refused_${tag}`));
    }
  });

  // 22,500 deliveries in one INSERT would need more bind parameters than PostgreSQL's protocol carries
  // (65,535): the rows are written in chunks, still in the one transaction.
  it("accepts 500 events x 45 matching connectors in one batch: 202 and 22,500 deliveries", async () => {
    const name = uniqueEventName("fanout");
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) {
      ids.push((await createConnector(engine, { url: "http://127.0.0.1:9/x", sourceEvent: name })).id);
    }
    const batch = Array.from({ length: 500 }, (_, i) => ({ id: `${name}-${i}`, name, payload: { i } }));
    const started = performance.now();
    const res = await engine.api("POST", "/v1/events/batch", { token: engine.tokens.ingest, body: batch });
    const ms = Math.round(performance.now() - started);
    console.info(`[${driver}] 500 events x 45 connectors: ${res.status} in ${ms} ms`);
    expect(res.status, res.text.slice(0, 500)).toBe(202);
    expect(res.json.accepted).toBe(500);
    expect(res.json.results.every((r: { deliveries: unknown[] }) => r.deliveries.length === 45)).toBe(true);
    const [row] = await engine.ctx.db
      .select({ n: count() })
      .from(deliveries)
      .where(inArray(deliveries.connectorId, ids));
    expect(row?.n).toBe(22_500);
  });
});
