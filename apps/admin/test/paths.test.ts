import { describe, expect, it } from "vitest";
import { completionContext, describePathAt, eventPaths } from "../lib/paths";

describe("eventPaths", () => {
  const sample = { name: "order.created", payload: { orderId: "ord_1", items: [{ sku: "A-1" }], "odd key": 1 } };

  it("lists JSONPath and placeholder forms for nested values and arrays", () => {
    const paths = eventPaths(sample);
    const sku = paths.find((p) => p.jsonPath === "$.payload.items[0].sku");
    expect(sku).toMatchObject({ dotPath: "event.payload.items.0.sku", kind: "string", preview: '"A-1"' });
    expect(paths.map((p) => p.jsonPath)).toEqual(
      expect.arrayContaining(["$.id", "$.name", "$.source", "$.time", "$.payload", "$.payload.orderId"]),
    );
    expect(paths.find((p) => p.jsonPath === '$.payload["odd key"]')?.kind).toBe("number");
  });

  it("stays bounded on a huge or deep sample", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100; i++) deep = { nested: deep };
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    expect(eventPaths({ payload: deep }).length).toBeLessThan(20);
    expect(eventPaths({ payload: wide }).length).toBeLessThanOrEqual(500);
  });
});

describe("completionContext", () => {
  it("recognises JSONPath strings, event and secret placeholders", () => {
    expect(completionContext('  "orderId": "$.pay')).toEqual({ kind: "jsonPath", typed: "$.pay" });
    expect(completionContext('  "a": "$')).toEqual({ kind: "jsonPath", typed: "$" });
    expect(completionContext('  "a": "Order <<event.payload.or')).toEqual({ kind: "event", typed: "event.payload.or" });
    expect(completionContext('  "auth": "Bearer <<secret.')).toEqual({ kind: "secret", typed: "" });
    expect(completionContext('  "auth": "Bearer {{secret.tok')).toEqual({ kind: "secret", typed: "tok" });
    expect(completionContext('  "plain": "hello')).toBeNull();
  });
});

describe("describePathAt", () => {
  const sample = { payload: { orderId: "ord_1", total: 12.5 } };
  const line = '  "order": "$.payload.orderId", "note": "Total <<event.payload.total>> for <<event.payload.nope>>"';

  it("shows the sample's value under a JSONPath or a placeholder", () => {
    expect(describePathAt(line, line.indexOf("$.payload") + 3, sample)).toBe(
      '`$.payload.orderId` → `"ord_1"` (string)',
    );
    expect(describePathAt(line, line.indexOf("event.payload.total") + 2, sample)).toBe(
      "`event.payload.total` → `12.5` (number)",
    );
    expect(describePathAt(line, line.indexOf("event.payload.nope") + 2, sample)).toMatch(/not in the sample event/);
  });

  it("says nothing outside paths", () => {
    expect(describePathAt(line, line.indexOf('"order"') + 2, sample)).toBeNull();
    expect(describePathAt(line, line.indexOf("Total") + 1, sample)).toBeNull();
  });
});
