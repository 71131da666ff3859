import { describe, expect, it } from "vitest";
import { type EventEnvelope, SECRET_MASK } from "./mapping.ts";
import { renderMappingFields } from "./mapping-fields.ts";

const event: EventEnvelope = {
  id: "evt_1",
  name: "order.created",
  source: "shop",
  time: "2026-03-04T10:20:30.000Z",
  payload: { orderId: "ord_1", total: 1299, customer: { email: "ada@example.com" }, items: [{ sku: "A" }] },
};
const secrets = { token: "tok-SECRET-123" };

describe("renderMappingFields", () => {
  it("renders each leaf on its own, nested names as paths, in the mapping's order", async () => {
    const fields = await renderMappingFields({
      mapping: {
        orderId: "$.payload.orderId",
        customer: { email: "$.payload.customer.email", note: "Order <<event.payload.orderId>>" },
        amount: "{% payload.total / 100 %}",
        when: "{% $formatDate(time, '[D01]/[M01]/[Y0001]') %}",
        fixed: 3,
        skus: '{% [$map(payload.items, function($item) { {"sku": $item.sku} })] %}',
      },
      event,
      secrets,
    });
    expect(fields.map((f) => [f.field, f.value])).toEqual([
      ["mapping.orderId", "ord_1"],
      ["mapping.customer.email", "ada@example.com"],
      ["mapping.customer.note", "Order ord_1"],
      ["mapping.amount", 12.99],
      ["mapping.when", "04/03/2026"],
      ["mapping.fixed", 3],
      ["mapping.skus", [{ sku: "A" }]],
    ]);
    expect(fields[1]?.path).toEqual(["customer", "email"]);
    expect(fields.every((f) => f.warnings.length === 0 && f.error === undefined)).toBe(true);
  });

  it("gives one field its error and another its warning while the rest still render", async () => {
    const fields = await renderMappingFields({
      mapping: { broken: "{% $formatDate('not a date') %}", missing: "$.payload.nope", fine: "$.id" },
      event,
      secrets,
    });
    expect(fields[0]?.error).toMatch(/^mapping\.broken: .*not an ISO 8601 date/);
    expect(fields[0]?.value).toBeUndefined();
    expect(fields[1]?.warnings).toEqual(["Missing event path $.payload.nope (rendered as null)"]);
    expect(fields[1]?.value).toBeNull();
    expect(fields[2]).toEqual({ path: ["fine"], field: "mapping.fine", value: "evt_1", warnings: [] });
  });

  it("masks secrets and values computed from them, and warns about a secret not set", async () => {
    const fields = await renderMappingFields({
      mapping: { auth: "Bearer <<secret.token>>", derived: "{% $uppercase($secret('token')) %}", x: "<<secret.nope>>" },
      event,
      secrets,
    });
    expect(fields[0]?.value).toBe(`Bearer ${SECRET_MASK}`);
    expect(fields[1]?.value).toBe(SECRET_MASK);
    expect(JSON.stringify(fields)).not.toContain("SECRET-123");
    expect(JSON.stringify(fields)).not.toContain("TOK-SECRET");
    expect(fields[2]?.warnings[0]).toMatch(/Secret "nope" is not set/);
  });

  it("has no fields for a mapping that is not an object, and stops at maxFields", async () => {
    expect(await renderMappingFields({ mapping: "$.payload", event, secrets })).toEqual([]);
    expect(await renderMappingFields({ mapping: null, event, secrets })).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i]));
    expect(await renderMappingFields({ mapping: many, event, secrets, maxFields: 4 })).toHaveLength(4);
  });

  it("marks the fields left when the time budget is spent", async () => {
    const fields = await renderMappingFields({
      mapping: { slow: "{% $count([1..200000].($ * 2)) %}", next: "$.id" },
      event,
      secrets,
      budgetMs: 1,
    });
    expect(fields[1]?.error).toMatch(/used up the preview's time/);
  });
});
