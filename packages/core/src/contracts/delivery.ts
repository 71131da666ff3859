import { z } from "zod";
import { DeliveryStatusSchema } from "./delivery-status.ts";

/** A delivery with its attempts, and an event with its deliveries, as the engine answers with them. */

export const AttemptSchema = z
  .object({
    id: z.string().meta({ example: "att_01j9z3p0c1v2b3n4m5k6j7h8g9" }),
    attempt: z.number().int().meta({ description: "1-based within its round" }),
    round: z.number().int(),
    outcome: z.string().meta({ example: "RETRY_SCHEDULED" }),
    request: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "The request as sent, secret values masked" }),
    response: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "{ status, headers, body (at most 64 KiB), bodyTruncated }" }),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    startedAt: z.string(),
  })
  .meta({ id: "DeliveryAttempt" });

export const DeliverySchema = z
  .object({
    id: z.string().meta({ example: "dlv_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    connectorId: z.string(),
    eventId: z.string(),
    status: DeliveryStatusSchema,
    attempts: z.number().int().meta({ description: "Attempts in the current round" }),
    totalAttempts: z.number().int().meta({ description: "Attempts over every round" }),
    round: z.number().int().meta({ description: "1, then +1 for each retry-dlq / retry" }),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable().meta({ example: "HTTP 503 Service Unavailable from the destination" }),
    lastStatusCode: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
    attemptLog: z.array(AttemptSchema).meta({ description: "Every attempt, oldest first" }),
  })
  .meta({ id: "Delivery" });
export type DeliveryAttempt = z.infer<typeof AttemptSchema>;
export type Delivery = z.infer<typeof DeliverySchema>;

const DeliverySummary = z.object({
  id: z.string(),
  eventId: z.string(),
  connectorId: z.string(),
  connectorName: z.string(),
  status: z.string().meta({ example: "SUCCESS" }),
  attempts: z.number(),
  totalAttempts: z.number(),
  round: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  replayId: z.string().nullable().meta({ description: "Set when a replay created it (DESIGN §12)" }),
});

export const EventSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    source: z.string().nullable(),
    time: z.string(),
    payload: z.unknown(),
    attributes: z.record(z.string(), z.unknown()),
    idempotencyKey: z.string().nullable(),
    receivedAt: z.string(),
    schemaValid: z.boolean().nullable().meta({
      description: "The event catalog's verdict at ingest: false = did not match (validation warn), null = not checked",
    }),
    dataschema: z.string().nullable().meta({ description: "The CloudEvents dataschema it came with" }),
    deliveries: z.array(DeliverySummary),
  })
  .meta({ id: "Event" });
export type EventRecord = z.infer<typeof EventSchema>;
