import { z } from "zod";
import { ConnectorAuthSchema, DestinationSchema, SampleEventSchema } from "../connector-schema.ts";
import { FilterSchema } from "../filters/schema.ts";
import { ExpectSchema } from "./reconciliation.ts";

/**
 * A connector as the engine answers with it (`GET …/connectors/{id}` and friends); what it accepts is
 * `ConnectorInputSchema` in `connector-schema.ts`. Zod `.meta()` ids name the OpenAPI components.
 */

export const SecretNameSchema = z
  .object({
    name: z.string().meta({ example: "apiKey" }),
    createdAt: z.string().meta({ example: "2026-01-01T12:00:00.000Z" }),
    rotatedAt: z.string().nullable().meta({ example: null }),
  })
  .meta({ id: "SecretName" });

const ConnectorObjectSchema = z.object({
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
  filter: FilterSchema.nullable(),
  expect: ExpectSchema.nullable(),
  disabledReason: z.string().nullable().meta({
    description:
      "Why the engine disabled the connector (its destination answered 410 Gone), null otherwise; read-only, cleared by enabling it",
    example: null,
  }),
  disabledAt: z
    .string()
    .nullable()
    .meta({ description: "When the engine disabled it (ISO 8601), null otherwise; read-only", example: null }),
  version: z.number().meta({ description: "Send it back with an update; it grows by one per change" }),
  createdAt: z.string(),
  updatedAt: z.string(),
  secrets: z.array(SecretNameSchema).meta({ description: "Names of the connector's secrets (never values)" }),
});

const EXAMPLE: z.infer<typeof ConnectorObjectSchema> = {
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
  filter: { all: [{ path: "$.payload.country", op: "eq", value: "BR" }] },
  expect: null,
  disabledReason: null,
  disabledAt: null,
  version: 1,
  createdAt: "2026-01-01T12:00:00.000Z",
  updatedAt: "2026-01-01T12:00:00.000Z",
  secrets: [{ name: "apiKey", createdAt: "2026-01-01T12:00:00.000Z", rotatedAt: null }],
};

export const ConnectorSchema = ConnectorObjectSchema.meta({ id: "Connector", example: EXAMPLE });
export type Connector = z.infer<typeof ConnectorSchema>;
export type SecretName = z.infer<typeof SecretNameSchema>;
