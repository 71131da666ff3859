import { describe, expect, it } from "vitest";
import { eventPaths } from "../lib/paths";
import { fromAvroSchema, fromJsonSchema, withSchemaFields } from "../lib/schema-sample";

describe("mapping completions from the event catalog", () => {
  const schema = {
    type: "object",
    properties: {
      orderId: { type: "string" },
      email: { type: "string", format: "email" },
      total: { type: "number", minimum: 0 },
      status: { enum: ["created", "paid"] },
      items: { type: "array", items: { $ref: "#/$defs/item" } },
      note: { type: ["null", "string"] },
    },
    $defs: { item: { type: "object", properties: { sku: { type: "string" } } } },
  };

  it("builds a payload of the schema's shape", () => {
    expect(fromJsonSchema(schema)).toEqual({
      orderId: "<string>",
      email: "<email>",
      total: 0,
      status: "created",
      items: [{ sku: "<string>" }],
      note: "<string>",
    });
    expect(
      fromAvroSchema({
        type: "record",
        name: "P",
        fields: [
          { name: "id", type: "string" },
          { name: "amount", type: "long" },
          { name: "tags", type: { type: "array", items: "string" } },
          { name: "note", type: ["null", "string"] },
        ],
      }),
    ).toEqual({ id: "<string>", amount: 0, tags: ["<string>"], note: "<string>" });
  });

  it("offers the fields the sample lacks, keeping the sample's own values", () => {
    const sample = { id: "evt_1", name: "order.created", payload: { orderId: "A-1", extra: true } };
    const merged = withSchemaFields(sample, { schemaFormat: "json-schema", schema }) as { payload: object };
    expect(merged.payload).toMatchObject({ orderId: "A-1", extra: true, email: "<email>" });
    const paths = eventPaths(merged).map((p) => p.jsonPath);
    expect(paths).toEqual(expect.arrayContaining(["$.payload.email", "$.payload.items[0].sku", "$.payload.extra"]));
    expect(withSchemaFields(sample, undefined)).toBe(sample);
  });
});
