import { z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES } from "@ib/core/delivery-state";

const Counts = z.object(
  Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.number().int()])) as Record<
    (typeof DELIVERY_STATUSES)[number],
    z.ZodNumber
  >,
);
const Latency = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });
const Hourly = z
  .array(
    z.object({
      hour: z.string(),
      success: z.number().int().openapi({ description: "Attempts in the hour with outcome SUCCESS" }),
      failure: z.number().int().openapi({ description: "Attempts in the hour with outcome DLQ or FAILED" }),
      failedAttempts: z.number().int().openapi({ description: "Attempts in the hour that did not succeed" }),
    }),
  )
  .openapi({
    description: "The last 24 hours by the attempts' start, oldest first (24 buckets, the current hour last)",
  });
const CircuitState = z.enum(["closed", "open", "half_open"]);

const windowFields = {
  counts: Counts.openapi({ description: "Deliveries by status, now" }),
  success24h: z.number().int().openapi({
    description: "Deliveries that ended successfully in the last 24 h (attempts with outcome SUCCESS)",
    example: 1520,
  }),
  failure24h: z
    .number()
    .int()
    .openapi({
      description:
        "Deliveries that ended failed in the last 24 h (attempts with outcome DLQ or FAILED); " +
        "they stay counted when a retry sends them again",
      example: 3,
    }),
  failedAttempts24h: z.number().int().openapi({
    description: "Attempts in the last 24 h that did not succeed (retried ones included)",
    example: 41,
  }),
  attempts24h: z.number().int().openapi({ description: "Attempts made in the last 24 h" }),
  successRate: z.number().nullable().openapi({ description: "success24h / (success24h + failure24h)", example: 0.998 }),
  latencyMs: Latency.openapi({ description: "Of successful attempts in the last 24 h" }),
  dlqOpen: z.number().int().openapi({ description: "Deliveries in the DLQ now" }),
  hourly: Hourly,
};

export const ConnectorMetricsSchema = z
  .object({
    connectorId: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    ...windowFields,
    circuitState: CircuitState,
    circuit: z.object({
      state: CircuitState,
      consecutiveFailures: z.number().int(),
      openUntil: z.string().nullable(),
    }),
    generatedAt: z.string(),
  })
  .openapi("ConnectorMetrics");

export const GlobalMetricsSchema = z
  .object({
    connectorsActive: z.number().int().openapi({ example: 12 }),
    connectorsTotal: z.number().int().openapi({ example: 14 }),
    ...windowFields,
    circuitsOpen: z.number().int().openapi({ description: "Connectors whose circuit is open or half-open" }),
    connectors: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        enabled: z.boolean(),
        success24h: z.number().int(),
        failure24h: z.number().int(),
        failedAttempts24h: z.number().int(),
        dlqOpen: z.number().int(),
        circuitState: CircuitState,
      }),
    ),
    generatedAt: z.string(),
  })
  .openapi("GlobalMetrics");
