import { Parser } from "@asyncapi/parser";
import { auditLog, events, eventTypes } from "@ib/db";
import avro from "avsc";
import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { decodeAvroPayload } from "../src/verbs/catalog/decode-avro.ts";
import { SchemaCache } from "../src/verbs/catalog/schema-cache.ts";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder";
const url = "http://127.0.0.1:9/unused";

const orderSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["orderId", "total"],
  properties: {
    orderId: { type: "string" },
    total: { type: "number", minimum: 0 },
    email: { type: "string", format: "email" },
    items: { type: "array", items: { type: "object", required: ["sku"], properties: { sku: { type: "string" } } } },
  },
};

const paymentAvro = {
  type: "record",
  name: "Payment",
  fields: [
    { name: "paymentId", type: "string" },
    { name: "amount", type: "long" },
    { name: "note", type: ["null", "string"], default: null },
  ],
};

describe.each(testDrivers())("event catalog on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  const put = (body: unknown, token?: string) => engine.api("PUT", `${BASE}/event-types`, { body, token });
  const ingest = (name: string, payload: unknown) =>
    engine.api("POST", "/v1/events", { token: engine.tokens.ingest, body: { name, payload } });
  const auditOf = (name: string) => engine.ctx.db.select().from(auditLog).where(eq(auditLog.target, name));

  it("creates, reads, updates with the version read, and refuses a stale or missing version; audited", async () => {
    const name = uniqueEventName("order");
    const created = await put({ name, schema: orderSchema, validation: "enforce", sample: { orderId: "A", total: 1 } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name, defined: true, version: 1, schemaFormat: "json-schema", count: 0 });
    expect(Object.keys(created.json.schema)).toEqual(Object.keys(orderSchema)); // the author's key order

    const one = await engine.api("GET", `${BASE}/event-types/${name}`, { token: engine.tokens.viewer });
    expect(one.status).toBe(200);
    expect(one.json.schema).toEqual(orderSchema);

    expectEnvelope(await put({ name, schema: orderSchema }), 409, "CONFLICT");
    const updated = await put({ name, schema: orderSchema, validation: "warn", version: 1 });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ version: 2, validation: "warn" });
    const stale = await put({ name, schema: orderSchema, version: 1 });
    expectEnvelope(stale, 409, "CONFLICT");
    expect(stale.json.error.details.currentVersion).toBe(2);
    expectEnvelope(await put({ name: uniqueEventName("gone"), schema: orderSchema, version: 3 }), 404);

    expect((await auditOf(name)).map((a) => a.action)).toEqual(["event_type.create", "event_type.update"]);
    expect(JSON.stringify(await auditOf(name))).not.toContain('"orderId"'); // sizes and hashes, not schemas
  });

  it("refuses bad input with the envelope and stores nothing", async () => {
    const name = uniqueEventName("bad");
    const cases: [unknown, number, RegExp][] = [
      [{ name, schema: { type: "objekt" } }, 400, /Invalid JSON Schema/],
      [{ name, schema: { $ref: "https://example.com/remote.json" } }, 400, /Invalid JSON Schema/],
      [
        { name, schemaFormat: "avro", schema: { type: "record", name: "X", fields: [{ name: "a", type: "strin" }] } },
        400,
        /Invalid Avro schema.*strin/,
      ],
      [{ name, schemaFormat: "avro", schema: "string" }, 400, /must be a record/],
      [{ name, schema: orderSchema, sample: { orderId: 5 } }, 400, /sample does not match/],
      [{ name, schema: orderSchema, validation: "strict" }, 400, /validation/],
      [{ name: "not a name!", schema: orderSchema }, 400, /name/],
      [{ name }, 400, /schema/],
      [{ name, schema: { type: "object", description: "x".repeat(300 * 1024) } }, 413, /256 KiB/],
    ];
    for (const [body, status, message] of cases) {
      const res = await put(body);
      expectEnvelope(res, status);
      expect(res.json.error.message).toMatch(message);
    }
    expect(await engine.ctx.db.select().from(eventTypes).where(eq(eventTypes.name, name))).toHaveLength(0);
    expect(await auditOf(name)).toHaveLength(0);
    expectEnvelope(await put({ name, schema: orderSchema }, engine.tokens.viewer), 403);
  });

  it("enforce: a payload that breaks the schema is refused with its issues and nothing is stored", async () => {
    const name = uniqueEventName("enforced");
    const connector = await createConnector(engine, { url, sourceEvent: name });
    expect((await put({ name, schema: orderSchema, validation: "enforce" })).status).toBe(201);

    const bad = await ingest(name, { orderId: 12, total: -1, email: "nope", items: [{ qty: 1 }] });
    expectEnvelope(bad, 400, "SCHEMA_VALIDATION_FAILED");
    expect(bad.json.error.details.issues).toEqual(
      expect.arrayContaining([
        { path: "orderId", message: "must be string" },
        { path: "total", message: "must be >= 0" },
        { path: "email", message: 'must match format "email"' },
        { path: "items.0.sku", message: "is required" },
      ]),
    );
    expect(await engine.ctx.db.select().from(events).where(eq(events.name, name))).toHaveLength(0);

    const good = await ingest(name, { orderId: "A-1", total: 3, email: "ana@example.com" });
    expect(good.status).toBe(202);
    expect(good.json.warnings).toBeUndefined();
    expect(good.json.deliveries).toEqual([{ id: expect.any(String), connectorId: connector.id }]);
    const [row] = await engine.ctx.db.select().from(events).where(eq(events.id, good.json.id));
    expect(row?.schemaValid).toBe(true);

    // A batch refuses that item only; the rest are stored as usual.
    const batch = await engine.api("POST", "/v1/events/batch", {
      token: engine.tokens.ingest,
      body: [
        { name, payload: { orderId: "B-1", total: 1 } },
        { name, payload: { orderId: "B-2" } },
        { name: uniqueEventName("other"), payload: { anything: true } },
      ],
    });
    expect(batch.status).toBe(202);
    expect(batch.json.results.map((r: { status: number }) => r.status)).toEqual([202, 400, 202]);
    expect(batch.json.results[1].error).toMatchObject({
      code: "SCHEMA_VALIDATION_FAILED",
      details: { issues: [{ path: "total", message: "is required" }] },
    });
    expect(await engine.ctx.db.select().from(events).where(eq(events.name, name))).toHaveLength(2);
  });

  it("warn: accepted with warnings and flagged; off: not checked", async () => {
    const name = uniqueEventName("warned");
    expect((await put({ name, schema: orderSchema, validation: "warn" })).status).toBe(201);
    const res = await ingest(name, { orderId: 1 });
    expect(res.status).toBe(202);
    expect(res.json.warnings).toEqual([
      { code: "SCHEMA_VALIDATION_FAILED", message: expect.stringContaining(name), issues: expect.any(Array) },
    ]);
    expect(res.json.warnings[0].issues).toHaveLength(2);
    expect(res.json.warnings[0].issues).toEqual(
      expect.arrayContaining([
        { path: "orderId", message: "must be string" },
        { path: "total", message: "is required" },
      ]),
    );
    const [flagged] = await engine.ctx.db.select().from(events).where(eq(events.id, res.json.id));
    expect(flagged?.schemaValid).toBe(false);

    expect((await put({ name, schema: orderSchema, validation: "off", version: 1 })).status).toBe(200);
    const off = await ingest(name, { orderId: 1 });
    expect(off.status).toBe(202);
    expect(off.json.warnings).toBeUndefined();
    const [unchecked] = await engine.ctx.db.select().from(events).where(eq(events.id, off.json.id));
    expect(unchecked?.schemaValid).toBeNull();
  });

  it("stores a CloudEvent's dataschema with the event", async () => {
    const name = uniqueEventName("ce");
    const res = await engine.api("POST", "/v1/events", {
      token: engine.tokens.ingest,
      headers: { "content-type": "application/cloudevents+json" },
      body: {
        specversion: "1.0",
        id: `${name}-1`,
        source: "/shop",
        type: name,
        dataschema: "https://schemas.example.com/order/1",
        data: { a: 1 },
      },
    });
    expect(res.status).toBe(202);
    const [row] = await engine.ctx.db
      .select()
      .from(events)
      .where(eq(events.id, `${name}-1`));
    expect(row?.dataschema).toBe("https://schemas.example.com/order/1");
  });

  it("Avro: the JSON payload is checked against the record, and an application/avro body decodes with it", async () => {
    const name = uniqueEventName("payment");
    const created = await put({
      name,
      schemaFormat: "avro",
      schema: paymentAvro,
      validation: "enforce",
      sample: { paymentId: "p1", amount: 100, note: null },
    });
    expect(created.status).toBe(201);
    expect((await ingest(name, { paymentId: "p2", amount: 250, note: "ok" })).status).toBe(202);
    const bad = await ingest(name, { paymentId: "p3", amount: "250" });
    expectEnvelope(bad, 400, "SCHEMA_VALIDATION_FAILED");
    expect(bad.json.error.details.issues).toEqual([{ path: "amount", message: 'must be long (got "250")' }]);

    const type = avro.Type.forSchema(paymentAvro as avro.Schema);
    const body = type.toBuffer({ paymentId: "p4", amount: 999, note: "from a broker" });
    const ctx = systemContext(engine.ctx);
    expect(await decodeAvroPayload({ ctx, input: { name, body } })).toEqual({
      paymentId: "p4",
      amount: 999,
      note: "from a broker",
    });
    await expect(
      decodeAvroPayload({ ctx, input: { name, body: Buffer.concat([body, Buffer.from([1])]) } }),
    ).rejects.toThrow(/left over/);
    await expect(decodeAvroPayload({ ctx, input: { name, body: body.subarray(0, 3) } })).rejects.toThrow(/Avro/);
    await expect(decodeAvroPayload({ ctx, input: { name: uniqueEventName("none"), body } })).rejects.toThrow(
      /needs an Avro schema/,
    );
  });

  it("lists names seen at ingest with no entry, and infers a schema from their stored payloads", async () => {
    const name = uniqueEventName("seen");
    for (const [i, payload] of [
      { id: 1, at: "2026-01-01T10:00:00Z", tags: ["a"] },
      { id: 2, at: "2026-01-02T10:00:00Z", tags: [], coupon: null },
      { id: 3.5, at: "2026-01-03T10:00:00Z", tags: ["b", "c"] },
    ].entries()) {
      expect((await ingest(name, payload)).status, `event ${i}`).toBe(202);
    }
    const list = await engine.api("GET", `${BASE}/event-types`, { token: engine.tokens.viewer });
    expect(list.status).toBe(200);
    const entry = list.json.eventTypes.find((t: { name: string }) => t.name === name);
    expect(entry).toMatchObject({ name, defined: false, count: 3, schemaFormat: null, version: null });
    expect(Date.parse(entry.lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);

    const inferred = await engine.api("GET", `${BASE}/event-types/${name}/inferred-schema`);
    expect(inferred.status).toBe(200);
    expect(inferred.json).toMatchObject({ name, samples: 3, schemaFormat: "json-schema" });
    expect(inferred.json.schema.properties).toEqual({
      id: { type: "number" },
      at: { type: "string", format: "date-time" },
      tags: { type: "array", items: { type: "string" } },
      coupon: { type: "null" },
    });
    expect(inferred.json.schema.required.sort()).toEqual(["at", "id", "tags"]);

    // Saving what was inferred makes the name defined, with its counts.
    const saved = await put({
      name,
      schema: inferred.json.schema,
      sample: inferred.json.sample,
      validation: "enforce",
    });
    expect(saved.status).toBe(201);
    const again = await engine.api("GET", `${BASE}/event-types`);
    expect(again.json.eventTypes.filter((t: { name: string }) => t.name === name)).toEqual([
      expect.objectContaining({ name, defined: true, count: 3, version: 1, validation: "enforce" }),
    ]);
    expectEnvelope(await engine.api("GET", `${BASE}/event-types/${uniqueEventName("never")}/inferred-schema`), 404);
  });

  it("deleting a type stops the check at once; audited", async () => {
    const name = uniqueEventName("deleted");
    expect((await put({ name, schema: orderSchema, validation: "enforce" })).status).toBe(201);
    expectEnvelope(await ingest(name, {}), 400, "SCHEMA_VALIDATION_FAILED");
    const gone = await engine.api("DELETE", `${BASE}/event-types/${name}`);
    expect(gone.status).toBe(200);
    expect(gone.json).toMatchObject({ deleted: true, eventType: { name, version: 1 } });
    expect((await ingest(name, {})).status).toBe(202);
    expectEnvelope(await engine.api("DELETE", `${BASE}/event-types/${name}`), 404);
    expectEnvelope(await engine.api("GET", `${BASE}/event-types/${name}`), 404);
    expect((await auditOf(name)).map((a) => a.action)).toEqual(["event_type.create", "event_type.delete"]);
  });

  it("another engine process on the same database hears of a change at once (NOTIFY), not after its cache ages", async () => {
    const name = uniqueEventName("shared");
    expect((await put({ name, schema: orderSchema, validation: "off" })).status).toBe(201);
    // A second app context on the same database: its own cache, as another process would have.
    const { createContext } = await import("../src/bootstrap.ts");
    const other = await createContext(engine.ctx.env, { logger: engine.ctx.logger, dbHandle: engine.ctx.dbHandle });
    other.catalog = new SchemaCache(60_000); // only the notification can make it look again within the test
    const { checkEventSchema } = await import("../src/verbs/catalog/check-event-schema.ts");
    const check = () => checkEventSchema({ ctx: systemContext(other), input: { name, payload: {} } });
    expect(await check()).toEqual({ schemaValid: null, warnings: [] }); // loads (and caches) the index
    await other.catalog.subscribed;

    expect((await put({ name, schema: orderSchema, validation: "enforce", version: 1 })).status).toBe(200);
    const started = Date.now();
    for (;;) {
      const refused = await check().then(
        () => false,
        (error: Error) => error.name === "SchemaValidationFailed",
      );
      if (refused) break;
      if (Date.now() - started > 1_500) throw new Error("the other process still accepts the payload after 1.5 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it("GET /asyncapi.json is an AsyncAPI 3.0 document the official parser accepts", async () => {
    const order = uniqueEventName("async");
    const prefix = order.split(".").slice(0, 2).join(".");
    const payment = `${prefix}.paid`;
    expect((await put({ name: order, schema: orderSchema, description: "An order was placed" })).status).toBe(201);
    expect((await put({ name: payment, schemaFormat: "avro", schema: paymentAvro })).status).toBe(201);
    const exact = await createConnector(engine, { url, sourceEvent: order, name: "Orders to ERP" });
    const wildcard = await createConnector(engine, { url, sourceEvent: `${prefix}.*` });
    const disabled = await createConnector(engine, { url, sourceEvent: order, enabled: false });

    const res = await engine.api("GET", "/asyncapi.json", { token: null });
    expect(res.status).toBe(200);
    const { document, diagnostics } = await new Parser().parse(res.text);
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors, JSON.stringify(errors)).toEqual([]);
    expect(document?.version()).toBe("3.0.0");

    const doc = res.json;
    const channelFor = (address: string) =>
      Object.entries(doc.channels).find(([, c]) => (c as { address: string }).address === address)?.[0];
    const orderKey = channelFor(order)!;
    expect(doc.components.messages[orderKey].payload).toEqual({
      type: "object",
      required: orderSchema.required,
      properties: orderSchema.properties,
    });
    const paymentKey = channelFor(payment)!;
    expect(doc.components.messages[paymentKey].payload).toEqual({
      schemaFormat: "application/vnd.apache.avro+json;version=1.9.0",
      schema: paymentAvro,
    });
    expect(doc.operations[exact.id]).toMatchObject({
      action: "send",
      title: "Orders to ERP",
      channel: { $ref: `#/channels/${orderKey}` },
    });
    // The wildcard connector gets a channel of its own carrying both types' messages.
    const wildcardChannel = doc.channels[doc.operations[wildcard.id].channel.$ref.split("/").pop()];
    expect(wildcardChannel.address).toBe(`${prefix}.*`);
    expect(Object.keys(wildcardChannel.messages).sort()).toEqual([orderKey, paymentKey].sort());
    expect(doc.operations[disabled.id]).toBeUndefined();
    expect(res.text).not.toContain("127.0.0.1:9"); // no destination in it

    const docs = await engine.api("GET", "/openapi.json", { token: null });
    expect(docs.json.info.description).toContain("/asyncapi.json");
  });

  it("an event whose name has no catalog entry is stored unchecked (schemaValid null)", async () => {
    const name = uniqueEventName("kept");
    expect((await ingest(name, { a: 1 })).status).toBe(202);
    const rows = await engine.ctx.db
      .select()
      .from(events)
      .where(like(events.name, `${name}%`));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.schemaValid).toBeNull();
  });
});
