import { deliveries, events } from "@ib/db";
import { CloudEvent, HTTP } from "cloudevents";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

describe.each(testDrivers())("event ingest on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    // No worker runs here: deliveries stay PENDING, which is what these tests look at.
    engine = await startTestEngine(driver, { IB_MAX_EVENT_BYTES: "4096" });
  });
  afterAll(async () => engine?.close());

  const url = "http://127.0.0.1:9/unused";

  it("stores the event and one delivery per enabled matching connector, in one answer", async () => {
    const name = uniqueEventName("order");
    const exact = await createConnector(engine, { url, sourceEvent: name });
    const prefix = name.split(".").slice(0, 2).join(".");
    const wildcard = await createConnector(engine, { url, sourceEvent: `${prefix}.*` });
    await createConnector(engine, { url, sourceEvent: name, enabled: false });
    await createConnector(engine, { url, sourceEvent: `${name}.other` });

    const res = await engine.api("POST", "/v1/events", {
      token: engine.tokens.ingest,
      body: { name, source: "shop", payload: { orderId: 7 } },
    });
    expect(res.status).toBe(202);
    expect(res.json.id).toMatch(/^evt_/);
    expect(res.json.duplicate).toBe(false);
    expect(res.json.deliveries.map((d: { connectorId: string }) => d.connectorId).sort()).toEqual(
      [exact.id, wildcard.id].sort(),
    );
    const rows = await engine.ctx.db.select().from(deliveries).where(eq(deliveries.eventId, res.json.id));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.status === "PENDING" && r.attempts === 0)).toBe(true);
    const [event] = await engine.ctx.db.select().from(events).where(eq(events.id, res.json.id));
    expect(event).toMatchObject({ name, source: "shop", payload: { orderId: 7 } });
  });

  it("refuses an event carrying a NUL character with a 400, storing nothing", async () => {
    const name = uniqueEventName("nul");
    const res = await engine.api("POST", "/v1/events", {
      token: engine.tokens.ingest,
      raw: `{"id":"nul-1","name":"${name}","payload":{"note":"a\\u0000b"}}`,
      headers: { "content-type": "application/json" },
    });
    expectEnvelope(res, 400);
    expect(res.json.error.message).toMatch(/NUL/);
    expect(await engine.ctx.db.select().from(events).where(eq(events.id, "nul-1"))).toHaveLength(0);
    const batch = await engine.api("POST", "/v1/events/batch", {
      token: engine.tokens.ingest,
      raw: `{"events":[{"name":"${name}","payload":{"k\\u0000":1}}]}`,
      headers: { "content-type": "application/json" },
    });
    // The batch answers per item: this one is refused, nothing is accepted.
    expect(batch.status).toBe(202);
    expect(batch.json).toMatchObject({ accepted: 0, duplicates: 0, rejected: 1 });
    expect(batch.json.results).toEqual([
      { index: 0, status: 400, error: { code: "VALIDATION_FAILED", message: expect.stringMatching(/NUL/) } },
    ]);
  });

  it("answers a repeated id with the original deliveries and creates nothing", async () => {
    const name = uniqueEventName();
    await createConnector(engine, { url, sourceEvent: name });
    const body = { id: `client-${name}`, name, payload: { a: 1 } };
    const first = await engine.api("POST", "/v1/events", { body });
    expect(first.status).toBe(202);
    expect(first.json.id).toBe(`client-${name}`);
    // Even with another connector now matching, a repeat creates nothing.
    await createConnector(engine, { url, sourceEvent: name });
    const again = await engine.api("POST", "/v1/events", { body });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ...first.json, duplicate: true });
    const rows = await engine.ctx.db.select().from(deliveries).where(eq(deliveries.eventId, first.json.id));
    expect(rows).toHaveLength(1);
  });

  it("uses the Idempotency-Key header when the event has no id", async () => {
    const name = uniqueEventName();
    await createConnector(engine, { url, sourceEvent: name });
    const key = `key-${name}`;
    const send = () =>
      engine.api("POST", "/v1/events", { body: { name, payload: 1 }, headers: { "idempotency-key": key } });
    const [a, b] = await Promise.all([send(), send()]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 202]);
    expect(a.json.id).toBe(b.json.id);
    expect(a.json.deliveries).toEqual(b.json.deliveries);
    const third = await send();
    expect(third.status).toBe(200);
  });

  it("accepts CloudEvents in structured and binary mode, made with the cloudevents SDK", async () => {
    const name = uniqueEventName("ce");
    await createConnector(engine, { url, sourceEvent: name });
    const ce = new CloudEvent({ type: name, source: "/orders", subject: "o-9", data: { orderId: 9 } });

    const structured = HTTP.structured(ce);
    const s = await engine.api("POST", "/v1/events", {
      raw: structured.body as string,
      headers: structured.headers as Record<string, string>,
    });
    expect(s.status).toBe(202);
    expect(s.json.id).toBe(ce.id);
    expect(s.json.deliveries).toHaveLength(1);

    const ce2 = new CloudEvent({ type: name, source: "/orders", country: "PT", data: { orderId: 10 } });
    const binary = HTTP.binary(ce2);
    const b = await engine.api("POST", "/v1/events", {
      raw: binary.body as string,
      headers: binary.headers as Record<string, string>,
    });
    expect(b.status).toBe(202);
    expect(b.json.id).toBe(ce2.id);

    const [stored] = await engine.ctx.db.select().from(events).where(eq(events.id, ce2.id));
    expect(stored).toMatchObject({ name, source: "/orders", payload: { orderId: 10 } });
    expect(stored?.attributes).toMatchObject({ country: "PT", specversion: "1.0" });

    const view = await engine.api("GET", `/admin/integration-builder/events/${ce.id}`);
    expect(view.status).toBe(200);
    expect(view.json).toMatchObject({ id: ce.id, name, payload: { orderId: 9 }, attributes: { subject: "o-9" } });
    expect(view.json.deliveries[0]).toMatchObject({ status: "PENDING", connectorName: expect.any(String) });
  });

  it("ingests a batch with a result per item", async () => {
    const name = uniqueEventName("batch");
    await createConnector(engine, { url, sourceEvent: name });
    const res = await engine.api("POST", "/v1/events/batch", {
      token: engine.tokens.ingest,
      body: [
        { id: `${name}-1`, name, payload: 1 },
        { name: "", payload: 2 },
        { id: `${name}-1`, name, payload: 1 },
        { specversion: "1.0", id: `${name}-ce`, source: "/b", type: name, data: { x: 1 } },
        { name, payload: "x".repeat(5000) },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.json.results.map((r: { status: number }) => r.status)).toEqual([202, 400, 200, 202, 413]);
    expect(res.json).toMatchObject({ accepted: 2, duplicates: 1, rejected: 2 });
    expect(res.json.results[2].id).toBe(`${name}-1`);
    expect(res.json.results[2].deliveries).toEqual(res.json.results[0].deliveries);
    expect(res.json.results[1].error.message).toMatch(/name/);
    const rows = await engine.ctx.db
      .select()
      .from(deliveries)
      .where(inArray(deliveries.eventId, [`${name}-1`, `${name}-ce`]));
    expect(rows).toHaveLength(2);

    expectEnvelope(await engine.api("POST", "/v1/events/batch", { body: [] }), 400, "VALIDATION_FAILED");
    const tooMany = Array.from({ length: 501 }, () => ({ name, payload: 1 }));
    expectEnvelope(await engine.api("POST", "/v1/events/batch", { body: tooMany }), 400, "VALIDATION_FAILED");
  });

  it("lists recent events with their deliveries, filtered by name, with a cursor", async () => {
    const name = uniqueEventName("list");
    await createConnector(engine, { url, sourceEvent: name });
    for (let i = 0; i < 3; i++) await engine.api("POST", "/v1/events", { body: { name, payload: { i } } });
    const page1 = await engine.api("GET", `/admin/integration-builder/events?name=${name}&limit=2`, {
      token: engine.tokens.viewer,
    });
    expect(page1.status).toBe(200);
    expect(page1.json.events.map((e: { payload: { i: number } }) => e.payload.i)).toEqual([2, 1]);
    expect(page1.json.events[0].deliveries).toHaveLength(1);
    const page2 = await engine.api(
      "GET",
      `/admin/integration-builder/events?name=${name}&limit=2&cursor=${page1.json.nextCursor}`,
    );
    expect(page2.json.events.map((e: { payload: { i: number } }) => e.payload.i)).toEqual([0]);
    expect(page2.json.nextCursor).toBeNull();
    const prefix = await engine.api("GET", `/admin/integration-builder/events?name=${name.split(".")[0]}.*&limit=200`);
    expect(prefix.json.events.length).toBeGreaterThanOrEqual(3);
    expectEnvelope(await engine.api("GET", "/admin/integration-builder/events?cursor=zzz"), 400, "VALIDATION_FAILED");
    expectEnvelope(await engine.api("GET", "/admin/integration-builder/events/evt_nope"), 404, "NOT_FOUND");
  });

  it("rejects bad input, oversize bodies and the wrong roles with the error envelope", async () => {
    const name = uniqueEventName();
    expectEnvelope(
      await engine.api("POST", "/v1/events", { raw: "{", headers: { "content-type": "application/json" } }),
      400,
    );
    expectEnvelope(await engine.api("POST", "/v1/events", { body: { payload: 1 } }), 400, "VALIDATION_FAILED");
    expectEnvelope(await engine.api("POST", "/v1/events", { body: { name: "bad name", payload: 1 } }), 400);
    expectEnvelope(
      await engine.api("POST", "/v1/events", { raw: "hello", headers: { "content-type": "text/plain" } }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expectEnvelope(
      await engine.api("POST", "/v1/events", { body: { name, payload: "x".repeat(5000) } }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    expectEnvelope(
      await engine.api("POST", "/v1/events", {
        body: { name, payload: 1 },
        headers: { "idempotency-key": "k".repeat(201) },
      }),
      400,
    );
    expectEnvelope(await engine.api("POST", "/v1/events", { token: null, body: { name, payload: 1 } }), 401);
    expectEnvelope(
      await engine.api("POST", "/v1/events", { token: engine.tokens.viewer, body: { name, payload: 1 } }),
      403,
    );
    expectEnvelope(await engine.api("GET", "/admin/integration-builder/events", { token: engine.tokens.ingest }), 403);
  });
});
