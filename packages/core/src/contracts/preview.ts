import { z } from "zod";

/** What `POST …/preview` answers: the request a delivery would send, without sending it. */
export const PreviewResponseSchema = z
  .object({
    request: z
      .object({
        method: z.string(),
        url: z.string(),
        headers: z.record(z.string(), z.string()),
        body: z.string().nullable(),
      })
      .meta({
        description:
          "The complete request, as the worker builds it: with the headers it adds (Idempotency-Key and webhook-id, " +
          "shown as dlv_preview; User-Agent; with a signingSecret webhook-timestamp and webhook-signature, masked) " +
          "and the connector's auth; every secret masked",
      }),
    message: z
      .object({
        transport: z.enum(["amqp", "nats"]),
        exchange: z.string().optional(),
        routingKey: z.string().optional(),
        subject: z.string().optional(),
        properties: z.record(z.string(), z.unknown()).optional(),
      })
      .optional()
      .meta({
        description:
          "Broker destinations (DESIGN §13): where the message would be published. The request then shows method " +
          "PUBLISH, the broker URL (credentials masked), the message headers (NATS: Nats-Msg-Id as dlv_preview) and body",
      }),
    warnings: z.array(z.string()),
    event: z.object({
      id: z.string(),
      name: z.string(),
      source: z.string().nullable(),
      time: z.string(),
      payload: z.unknown(),
    }),
    secrets: z.object({
      used: z.array(z.string()).meta({ description: "Secrets referenced and set (masked in the request)" }),
      missing: z.array(z.string()).meta({ description: "Secrets referenced but not set" }),
    }),
    filter: z
      .object({
        matched: z.boolean().meta({ description: "Whether the connector's filter takes this event" }),
        reason: z.string().meta({
          description: "The rule that decided, with the value it saw; or why the filter could not be evaluated",
        }),
      })
      .meta({ description: "The connector's filter applied to the event (DESIGN §10); ingest does the same" }),
    fields: z
      .array(
        z.object({
          path: z
            .array(z.string())
            .meta({ description: "Where the field sits in the body", example: ["customer", "email"] }),
          field: z.string().meta({ example: "mapping.customer.email" }),
          value: z
            .unknown()
            .optional()
            .meta({ description: "Its value for the event (secrets masked); absent when none" }),
          warnings: z.array(z.string()),
          error: z.string().optional().meta({ description: "Why this field cannot render" }),
        }),
      )
      .optional()
      .meta({
        description:
          "With `fields: true`: each field of the mapping (the leaves of its objects) rendered on its own, so one " +
          "field's error does not hide the others' values (the admin's visual mapper shows them per row)",
      }),
  })
  .meta({
    id: "Preview",
    example: {
      request: {
        method: "POST",
        url: "https://erp.example.com/orders",
        headers: {
          Authorization: "Bearer ••••••",
          "Content-Type": "application/json",
          "Idempotency-Key": "dlv_preview",
          "webhook-id": "dlv_preview",
          "User-Agent": "IntegrationBuilder/1.0 (+https://github.com/integration-builder; delivery worker)",
          "webhook-timestamp": "1767268800",
          "webhook-signature": "v1,••••••",
        },
        body: '{"eventId":"evt_preview","orderId":"ord_42","note":"Order ord_42"}',
      },
      warnings: [],
      event: {
        id: "evt_preview",
        name: "order.created",
        source: null,
        time: "2026-01-01T12:00:00.000Z",
        payload: { orderId: "ord_42" },
      },
      secrets: { used: ["token"], missing: [] },
      filter: { matched: true, reason: "no filter: every event with the name" },
    },
  });
export type PreviewResult = z.infer<typeof PreviewResponseSchema>;
