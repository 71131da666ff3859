import { z } from "zod";
import { DELIVERY_STATUSES, type DeliveryStatus } from "./delivery-status.ts";

/**
 * The engine's delivery metrics (`GET …/metrics`, `GET …/connectors/{id}/metrics`), read by the admin and
 * summed up in the control-plane report. Zod `.meta()` ids name the OpenAPI components.
 */

const count = z.number().int().min(0).max(1_000_000_000);

/** One hour of attempt outcomes. Also a field of the control-plane report, which validates `hour`. */
export const HourlyOutcomesSchema = z
  .object({
    /** Start of the hour, ISO 8601 UTC. */
    hour: z.iso.datetime({ offset: true }),
    success: count.meta({ description: "Attempts in the hour with outcome SUCCESS" }),
    failure: count.meta({ description: "Attempts in the hour with outcome DLQ or FAILED" }),
    failedAttempts: count.meta({ description: "Attempts in the hour that did not succeed" }),
  })
  .meta({ id: "HourlyOutcomes" });
export type HourlyOutcomes = z.infer<typeof HourlyOutcomesSchema>;

export const CIRCUIT_STATES = ["closed", "open", "half_open"] as const;
export const CircuitStateSchema = z.enum(CIRCUIT_STATES);
export type CircuitState = z.infer<typeof CircuitStateSchema>;

export const StatusCountsSchema = z.object(
  Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.number().int()])) as Record<DeliveryStatus, z.ZodNumber>,
);
export const LatencySchema = z.object({
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});

const windowFields = {
  counts: StatusCountsSchema.meta({ description: "Deliveries by status, now" }),
  success24h: z.number().int().meta({
    description: "Deliveries that ended successfully in the last 24 h (attempts with outcome SUCCESS)",
    example: 1520,
  }),
  failure24h: z
    .number()
    .int()
    .meta({
      description:
        "Deliveries that ended failed in the last 24 h (attempts with outcome DLQ or FAILED); " +
        "they stay counted when a retry sends them again",
      example: 3,
    }),
  failedAttempts24h: z.number().int().meta({
    description: "Attempts in the last 24 h that did not succeed (retried ones included)",
    example: 41,
  }),
  attempts24h: z.number().int().meta({ description: "Attempts made in the last 24 h" }),
  successRate: z.number().nullable().meta({ description: "success24h / (success24h + failure24h)", example: 0.998 }),
  latencyMs: LatencySchema.meta({ description: "Of successful attempts in the last 24 h" }),
  dlqOpen: z.number().int().meta({ description: "Deliveries in the DLQ now" }),
  hourly: z.array(HourlyOutcomesSchema).meta({
    description: "The last 24 hours by the attempts' start, oldest first (24 buckets, the current hour last)",
  }),
};

export const ConnectorMetricsSchema = z
  .object({
    connectorId: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    ...windowFields,
    circuitState: CircuitStateSchema,
    circuit: z.object({
      state: CircuitStateSchema,
      consecutiveFailures: z.number().int(),
      openUntil: z.string().nullable(),
    }),
    generatedAt: z.string(),
  })
  .meta({ id: "ConnectorMetrics" });
export type ConnectorMetrics = z.infer<typeof ConnectorMetricsSchema>;

export const GlobalMetricsSchema = z
  .object({
    connectorsActive: z.number().int().meta({ example: 12 }),
    connectorsTotal: z.number().int().meta({ example: 14 }),
    ...windowFields,
    circuitsOpen: z.number().int().meta({ description: "Connectors whose circuit is open or half-open" }),
    connectors: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        enabled: z.boolean(),
        success24h: z.number().int(),
        failure24h: z.number().int(),
        failedAttempts24h: z.number().int(),
        dlqOpen: z.number().int(),
        circuitState: CircuitStateSchema,
      }),
    ),
    generatedAt: z.string(),
  })
  .meta({ id: "GlobalMetrics" });
export type GlobalMetrics = z.infer<typeof GlobalMetricsSchema>;
