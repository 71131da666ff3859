import { z } from "@hono/zod-openapi";
import {
  ConnectorAuthSchema,
  ConnectorInputSchema,
  DestinationSchema,
  SampleEventSchema,
} from "@ib/core/connector-schema";

/** The body of PUT …/connectors: the core schema (shared with the admin UI), named for OpenAPI. */
export const ConnectorInput = ConnectorInputSchema;

export const SecretNameSchema = z
  .object({
    name: z.string().openapi({ example: "apiKey" }),
    createdAt: z.string().openapi({ example: "2026-01-01T12:00:00.000Z" }),
    rotatedAt: z.string().nullable().openapi({ example: null }),
  })
  .openapi("SecretName");

const EXAMPLE = {
  id: "con_01j9z3m4x8r2w5k7q1c6v0b3n8",
  name: "Orders to ERP",
  description: null,
  enabled: true,
  sourceEvent: "order.created",
  destination: {
    url: "https://erp.example.com/orders",
    method: "POST",
    headers: { "X-Api-Key": "<<secret.apiKey>>" },
    bodyEncoding: "json",
  },
  mapping: { eventId: "$.id", orderId: "$.payload.orderId", auth: "Bearer <<secret.token>>" },
  auth: null,
  timeoutMs: 10000,
  retryMaxAttempts: 5,
  retryBackoffBaseMs: 1000,
  retryBackoffMaxMs: 3600000,
  circuitFailureThreshold: 10,
  circuitCooldownMs: 30000,
  rateLimitPerSecond: null,
  maxInFlight: null,
  preset: null,
  tags: { country: "BR", providerType: "erp" },
  sampleEvent: { name: "order.created", payload: { orderId: "ord_42" } },
  disabledReason: null,
  disabledAt: null,
  version: 1,
  createdAt: "2026-01-01T12:00:00.000Z",
  updatedAt: "2026-01-01T12:00:00.000Z",
  secrets: [{ name: "apiKey", createdAt: "2026-01-01T12:00:00.000Z", rotatedAt: null }],
};

export const ConnectorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    enabled: z.boolean(),
    sourceEvent: z.string(),
    destination: DestinationSchema,
    mapping: z.unknown(),
    auth: ConnectorAuthSchema.nullable(),
    timeoutMs: z.number(),
    retryMaxAttempts: z.number(),
    retryBackoffBaseMs: z.number(),
    retryBackoffMaxMs: z.number(),
    circuitFailureThreshold: z.number(),
    circuitCooldownMs: z.number(),
    rateLimitPerSecond: z.number().nullable(),
    maxInFlight: z.number().nullable(),
    preset: z.string().nullable(),
    tags: z.record(z.string(), z.string()),
    sampleEvent: SampleEventSchema.nullable(),
    disabledReason: z.string().nullable().openapi({
      description:
        "Why the engine disabled the connector (its destination answered 410 Gone), null otherwise; read-only, cleared by enabling it",
      example: null,
    }),
    disabledAt: z
      .string()
      .nullable()
      .openapi({ description: "When the engine disabled it (ISO 8601), null otherwise; read-only", example: null }),
    version: z.number().openapi({ description: "Send it back with an update; it grows by one per change" }),
    createdAt: z.string(),
    updatedAt: z.string(),
    secrets: z.array(SecretNameSchema).openapi({ description: "Names of the connector's secrets (never values)" }),
  })
  .openapi("Connector", { example: EXAMPLE });

export const ConnectorIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
});
