import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSchema } from "./compile-schema.ts";
import { inferJsonSchema } from "./infer-json-schema.ts";

describe("inferJsonSchema", () => {
  it("merges types, marks fields present in every sample required, and detects formats", () => {
    const schema = inferJsonSchema([
      { orderId: "A-1", total: 10, at: "2026-01-01T10:00:00Z", email: "a@example.com", items: [{ sku: "x", qty: 1 }] },
      { orderId: "A-2", total: 10.5, at: "2026-01-02T11:00:00.123+01:00", note: null, items: [] },
    ]);
    expect(schema).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        orderId: { type: "string" },
        total: { type: "number" },
        at: { type: "string", format: "date-time" },
        email: { type: "string", format: "email" },
        items: {
          type: "array",
          items: {
            type: "object",
            properties: { sku: { type: "string" }, qty: { type: "integer" } },
            required: ["sku", "qty"],
          },
        },
        note: { type: "null" },
      },
      required: ["orderId", "total", "at", "items"],
    });
  });

  it("makes a field nullable when a sample has null, and drops a format one sample breaks", () => {
    const schema = inferJsonSchema([
      { a: "2026-01-01", b: 1 },
      { a: "soon", b: null },
    ]) as {
      properties: Record<string, unknown>;
    };
    expect(schema.properties.a).toEqual({ type: "string" });
    expect(schema.properties.b).toEqual({ type: ["integer", "null"] });
  });

  it("gives a schema every sample it was inferred from satisfies", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string(),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie("value"), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 5 }), (samples) => {
        const compiled = compileSchema("json-schema", inferJsonSchema(samples));
        for (const sample of samples) expect(compiled.check(sample)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
