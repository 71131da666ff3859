import { z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES } from "@ib/core/delivery-state";

export const AttemptSchema = z
  .object({
    id: z.string().openapi({ example: "att_01j9z3p0c1v2b3n4m5k6j7h8g9" }),
    attempt: z.number().int().openapi({ description: "1-based within its round" }),
    round: z.number().int(),
    outcome: z.string().openapi({ example: "RETRY_SCHEDULED" }),
    request: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "The request as sent, secret values masked" }),
    response: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "{ status, headers, body (at most 64 KiB), bodyTruncated }" }),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    startedAt: z.string(),
  })
  .openapi("DeliveryAttempt");

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ example: "dlv_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    connectorId: z.string(),
    eventId: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int().openapi({ description: "Attempts in the current round" }),
    totalAttempts: z.number().int().openapi({ description: "Attempts over every round" }),
    round: z.number().int().openapi({ description: "1, then +1 for each retry-dlq / retry" }),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable().openapi({ example: "HTTP 503 Service Unavailable from the destination" }),
    lastStatusCode: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
    attemptLog: z.array(AttemptSchema).openapi({ description: "Every attempt, oldest first" }),
  })
  .openapi("Delivery");

export const ConnectorIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "con_01j9z3kq0a7w2e5r8t1y4u6i9o" }),
});

export const DeliveryIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "dlv_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
});
