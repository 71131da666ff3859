// What the admin's visual mapper relies on (issue 14): preview's per-field results (`fields: true`) and a
// connector's sample event coming back in the order its keys were written (stored as json, not jsonb).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder";
const MASK = "••••••";
const TOKEN = "tok-fields-5e4d3c2b1a";

describe.each(testDrivers())("mapper support on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => {
    await engine?.close();
  });

  let n = 0;
  function draft(patch: Record<string, unknown> = {}) {
    n++;
    return {
      name: `mapper ${n}`,
      sourceEvent: "order.created",
      destination: { url: "https://93.184.215.14/orders", method: "POST" },
      mapping: {
        orderId: "$.payload.orderId",
        customer: { email: "$.payload.customer.email", auth: "Bearer <<secret.token>>" },
        placed: "{% $formatDate(time, '[Y0001]-[M01]-[D01]') %}",
        amount: "{% payload.cents / 100 %}",
        lines: '{% [$map(payload.items, function($item) { {"sku": $item.sku, "qty": $item.qty} })] %}',
        fixed: true,
      },
      ...patch,
    };
  }
  const event = {
    name: "order.created",
    time: "2026-05-06T07:08:09.000Z",
    payload: { orderId: "ord_9", cents: 4250, customer: { email: "a@example.com" }, items: [{ sku: "S", qty: 2 }] },
  };

  it("answers each field's value for the sample with fields: true, secrets masked", async () => {
    const created = await engine.api("PUT", `${BASE}/connectors`, { body: draft() });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const secret = await engine.api("POST", `${BASE}/connectors/${id}/secret`, {
      body: { name: "token", value: TOKEN },
    });
    expect(secret.status).toBe(200);

    const res = await engine.api("POST", `${BASE}/preview`, { body: { connectorId: id, event, fields: true } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.fields.map((f: { field: string; value: unknown }) => [f.field, f.value])).toEqual([
      ["mapping.orderId", "ord_9"],
      ["mapping.customer.email", "a@example.com"],
      ["mapping.customer.auth", `Bearer ${MASK}`],
      ["mapping.placed", "2026-05-06"],
      ["mapping.amount", 42.5],
      ["mapping.lines", [{ sku: "S", qty: 2 }]],
      ["mapping.fixed", true],
    ]);
    // The fields agree with the body the whole request carries.
    const body = JSON.parse(res.json.request.body);
    expect(body.amount).toBe(42.5);
    expect(body.lines).toEqual([{ sku: "S", qty: 2 }]);
    expect(res.text).not.toContain(TOKEN);

    const without = await engine.api("POST", `${BASE}/preview`, { body: { connectorId: id, event } });
    expect(without.status).toBe(200);
    expect(without.json.fields).toBeUndefined();
  });

  it("names each field's warning, and a field that fails rides on the 422 with the others' values", async () => {
    const res = await engine.api("POST", `${BASE}/preview`, {
      body: {
        connector: draft({
          mapping: { missing: "$.payload.nope", broken: "{% $formatDate(payload.orderId) %}", id: "$.payload.orderId" },
        }),
        event,
        fields: true,
      },
    });
    expectEnvelope(res, 422);
    expect(res.json.error.message).toMatch(/mapping\.broken/);
    const fields = res.json.error.details.fields;
    expect(fields[0]).toMatchObject({ field: "mapping.missing", value: null });
    expect(fields[0].warnings).toEqual(["Missing event path $.payload.nope (rendered as null)"]);
    expect(fields[1].error).toMatch(/^mapping\.broken: .*ISO 8601/);
    expect(fields[2]).toEqual({ path: ["id"], field: "mapping.id", value: "ord_9", warnings: [] });
  });

  it("refuses a fields flag that is not a boolean", async () => {
    const res = await engine.api("POST", `${BASE}/preview`, { body: { connector: draft(), fields: "yes" } });
    expectEnvelope(res, 400);
  });

  it("keeps a sample event's keys in the order they were written", async () => {
    // jsonb would answer these sorted by length, then bytes: b, mid, zeta, alpha.
    const sample = {
      name: "order.created",
      payload: { zeta: 1, b: { y: 1, aa: 2, c: 3 }, alpha: [{ z: 1, a: 2 }], mid: "m" },
    };
    const created = await engine.api("PUT", `${BASE}/connectors`, { body: draft({ sampleEvent: sample }) });
    expect(created.status, created.text).toBe(201);
    expect(JSON.stringify(created.json.sampleEvent)).toBe(JSON.stringify(sample));
    const got = await engine.api("GET", `${BASE}/connectors/${created.json.id}`);
    expect(JSON.stringify(got.json.sampleEvent)).toBe(JSON.stringify(sample));
    const listed = await engine.api("GET", `${BASE}/connectors`);
    const row = listed.json.connectors.find((c: { id: string }) => c.id === created.json.id);
    expect(JSON.stringify(row.sampleEvent)).toBe(JSON.stringify(sample));
    // Preview renders against it in the same order.
    const preview = await engine.api("POST", `${BASE}/preview`, {
      body: { connectorId: created.json.id },
    });
    expect(JSON.stringify(preview.json.event.payload)).toBe(JSON.stringify(sample.payload));
  });
});
