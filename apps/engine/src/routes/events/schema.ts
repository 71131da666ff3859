import { z } from "@hono/zod-openapi";
import { SchemaWarningSchema } from "@ib/core/contracts/catalog";

export const IngestResultSchema = z
  .object({
    id: z.string().openapi({ example: "order-1001" }),
    deliveries: z.array(
      z.object({
        id: z.string().openapi({ example: "dlv_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
        connectorId: z.string().openapi({ example: "con_01j9z3kq0a7w2e5r8t1y4u6i9o" }),
      }),
    ),
    duplicate: z.boolean().openapi({ description: "true: this id was received before; nothing new was created" }),
    warnings: z.array(SchemaWarningSchema).optional().openapi({
      description: "Validation `warn`: how the payload differs from its schema (the event is stored, flagged)",
    }),
  })
  .openapi("IngestResult");

export const BatchItemResultSchema = z
  .object({
    index: z.number().int(),
    status: z.number().int().openapi({ description: "202 accepted, 200 duplicate, 400/413 rejected", example: 202 }),
    id: z.string().optional(),
    deliveries: IngestResultSchema.shape.deliveries.optional(),
    duplicate: z.boolean().optional(),
    error: z
      .object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })
      .optional(),
    warnings: z.array(SchemaWarningSchema).optional(),
  })
  .openapi("BatchItemResult");

export const BatchResultSchema = z
  .object({
    results: z.array(BatchItemResultSchema),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
  })
  .openapi("BatchIngestResult");

export const SimpleEventDoc = {
  type: "object",
  required: ["name", "payload"],
  additionalProperties: false,
  properties: {
    id: { type: "string", maxLength: 200, description: "Your id for the event; a repeat is answered as a duplicate" },
    name: { type: "string", example: "order.created" },
    source: { type: "string", example: "orders-service" },
    time: { type: "string", format: "date-time" },
    payload: { description: "Any JSON value" },
    attributes: { type: "object", description: "Routing hints (country, providerType, ...)" },
  },
  example: {
    id: "order-1001",
    name: "order.created",
    source: "orders-service",
    payload: { orderId: 1001, total: 25.5 },
  },
} as const;

export const CloudEventDoc = {
  type: "object",
  required: ["specversion", "id", "source", "type"],
  properties: {
    specversion: { type: "string", enum: ["1.0"] },
    id: { type: "string" },
    source: { type: "string" },
    type: { type: "string", description: "Becomes the event name" },
    time: { type: "string", format: "date-time" },
    datacontenttype: { type: "string" },
    data: { description: "Becomes the payload" },
    data_base64: { type: "string" },
  },
  example: { specversion: "1.0", id: "order-1001", source: "/orders", type: "order.created", data: { orderId: 1001 } },
} as const;

export { EventSchema } from "@ib/core/contracts/delivery";
