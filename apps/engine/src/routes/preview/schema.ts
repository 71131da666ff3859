import { z } from "@hono/zod-openapi";
import { ConnectorFieldsSchema, SampleEventSchema } from "@ib/core/connector-schema";

/**
 * An unsaved connector: the same fields as PUT (so the same checks), plus `id` to preview an edit of a saved
 * connector with its secrets. Read-only fields a client echoes back (version, createdAt, secrets,
 * disabledReason, ...) are ignored.
 */
const DraftConnectorSchema = ConnectorFieldsSchema.extend({
  id: z.string().max(100).optional(),
  version: z.number().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  secrets: z.array(z.unknown()).optional(),
  disabledReason: z.string().nullable().optional(),
  disabledAt: z.string().nullable().optional(),
}).strict();

export const PreviewRequestSchema = z
  .object({
    connectorId: z.string().min(1).max(100).optional().openapi({ example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    connector: DraftConnectorSchema.optional(),
    event: SampleEventSchema.optional().openapi({
      description: "The event to render against; defaults to the connector's sampleEvent",
    }),
    fields: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Also render each field of the mapping on its own (`fields` in the answer); a mapping that cannot render " +
          "as a whole then still answers 422, with the fields in `error.details.fields`",
        example: true,
      }),
  })
  .strict()
  .refine((b) => (b.connectorId === undefined) !== (b.connector === undefined), {
    message: "send exactly one of connectorId (a saved connector) or connector (an unsaved one)",
  })
  .openapi("PreviewRequest", {
    example: {
      connector: {
        name: "Orders to ERP",
        sourceEvent: "order.created",
        destination: {
          url: "https://erp.example.com/orders",
          method: "POST",
          headers: { Authorization: "Bearer <<secret.token>>" },
        },
        mapping: { eventId: "$.id", orderId: "$.payload.orderId", note: "Order <<event.payload.orderId>>" },
      },
      event: { name: "order.created", payload: { orderId: "ord_42" } },
    },
  });

export { PreviewResponseSchema } from "@ib/core/contracts/preview";
