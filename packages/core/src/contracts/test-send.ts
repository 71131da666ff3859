import { z } from "zod";

/**
 * What `POST …/connectors/{id}/test` answers: the one real request the engine just sent for the connector
 * (as the worker would, outside the queue; no delivery is created) and what the destination answered.
 */
export const TestSendResultSchema = z
  .object({
    request: z
      .object({
        method: z.string(),
        url: z.string(),
        headers: z.record(z.string(), z.string()),
        body: z.string().nullable(),
        bodyTruncated: z.boolean().optional(),
      })
      .meta({ description: "The request as sent, with every secret (and the signature) masked" }),
    response: z
      .object({
        status: z.number().int(),
        headers: z.record(z.string(), z.string()),
        body: z.string().meta({ description: "The first 64 KiB of the body, secret values scrubbed" }),
        bodyTruncated: z.boolean(),
      })
      .nullable()
      .meta({ description: "The destination's answer; null when none came (timeout, network error)" }),
    published: z.record(z.string(), z.unknown()).optional().meta({
      description:
        "Broker destinations: what the broker acknowledged (RabbitMQ: confirm, exchange, routing key; JetStream: stream, seq, duplicate)",
    }),
    durationMs: z.number().int().nonnegative(),
    outcome: z.enum(["success", "retryable", "permanent"]).meta({
      description:
        "What a real delivery would do with this answer: succeed, retry (timeout, network error, 408, 429, 5xx, ...) or fail for good (other 4xx)",
    }),
    error: z
      .string()
      .optional()
      .meta({ description: "Why it did not succeed, as a delivery's lastError would say it" }),
    warnings: z.array(z.string()).meta({ description: "Missing event paths and the like, as in preview" }),
    event: z
      .object({
        id: z.string(),
        name: z.string(),
        source: z.string().nullable(),
        time: z.string(),
        payload: z.unknown(),
      })
      .meta({ description: "The event the request was rendered from" }),
  })
  .meta({
    id: "TestSendResult",
    example: {
      request: {
        method: "POST",
        url: "https://erp.example.com/orders",
        headers: {
          Authorization: "Bearer ••••••",
          "Content-Type": "application/json",
          "Idempotency-Key": "tst_01j9z3m4x8r2w5k7q1c6v0b3n8",
          "webhook-id": "tst_01j9z3m4x8r2w5k7q1c6v0b3n8",
          "User-Agent": "IntegrationBuilder/1.0 (+https://github.com/integration-builder; delivery worker)",
        },
        body: '{"eventId":"evt_sample","orderId":"ord_42"}',
      },
      response: {
        status: 201,
        headers: { "content-type": "application/json" },
        body: '{"id":"erp_981"}',
        bodyTruncated: false,
      },
      durationMs: 184,
      outcome: "success",
      warnings: [],
      event: {
        id: "evt_sample",
        name: "order.created",
        source: null,
        time: "2026-01-01T12:00:00.000Z",
        payload: { orderId: "ord_42" },
      },
    },
  });
export type TestSendResult = z.infer<typeof TestSendResultSchema>;
