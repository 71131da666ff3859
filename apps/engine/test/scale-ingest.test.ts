import { deliveries } from "@ib/db";
import { count, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

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
    const responses = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => post({ name, payload: { i } })),
      ...Array.from({ length: 10 }, () => post({ id: repeatedId, name, payload: { same: true } })),
      post({ name: "", payload: {} }),
      // PostgreSQL's jsonb refuses \u0000: this one fails at the database, inside a shared transaction.
      post({ name, payload: { bad: "a\u0000b" } }),
    ]);
    // It fails alone (today with a 500 from the route, which should become a 400); its batch-mates were
    // retried one by one and succeeded (checked below).
    expect(responses[51]?.status).toBeGreaterThanOrEqual(400);
    const fresh = responses.slice(0, 40);
    const repeats = responses.slice(40, 50);
    expect(fresh.map((r) => r.status)).toEqual(Array(40).fill(202));
    expect(new Set(fresh.map((r) => r.json.id)).size).toBe(40);
    for (const r of fresh) expect(r.json.deliveries).toEqual([{ id: expect.any(String), connectorId: connector.id }]);

    expect(repeats.filter((r) => r.status === 202)).toHaveLength(1);
    expect(repeats.filter((r) => r.status === 200 && r.json.duplicate === true)).toHaveLength(9);
    const deliveryIds = new Set(repeats.map((r) => r.json.deliveries[0].id));
    expect(deliveryIds.size).toBe(1);
    // The invalid one fails alone, with the envelope.
    expect(responses[50]?.status).toBe(400);

    const stored = await engine.ctx.db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(inArray(deliveries.connectorId, [connector.id]));
    expect(stored).toHaveLength(41);
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
