import { z } from "zod";
import { HourlyOutcomesSchema } from "./metrics.ts";

/**
 * The report an engine pushes to the control plane's `POST /api/integration-builder/report` (DESIGN §8).
 * `ControlPlaneReportSchema` is what a current engine sends; `AcceptedReportSchema` is what the control
 * plane takes, which also lets reports from engines older than some fields through.
 * Zod `.meta()` ids name the OpenAPI components where the engine documents the report.
 */

const count = z.number().int().min(0).max(1_000_000_000);
const isoTime = z.iso.datetime({ offset: true });

export const ReportedConnectorSchema = z
  .object({
    id: z.string().min(1).max(200).meta({ example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    name: z.string().max(500).meta({ example: "Orders to ERP" }),
    enabled: z.boolean(),
    success24h: count,
    failure24h: count,
    failedAttempts24h: count,
    dlqOpen: count,
  })
  .meta({ id: "ReportedConnector" });
export type ReportedConnector = z.infer<typeof ReportedConnectorSchema>;

/** Per-connector detail the control plane keeps from one report (the totals cover every connector). */
export const MAX_ACCEPTED_CONNECTORS = 10_000;

export const ControlPlaneReportSchema = z
  .object({
    instanceId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e][\x20-\x7e]*$/, "printable ASCII, not starting with a space")
      .meta({ example: "engine-eu-1" }),
    /** What people call the instance (`IB_INSTANCE_NAME`, default the host name); the id stays the key. */
    instanceName: z.string().trim().min(1).max(200).meta({ example: "eu-west-1a" }),
    generatedAt: isoTime.meta({ example: "2026-11-22T06:00:00.000Z" }),
    connectorsActive: count.meta({ example: 12 }),
    connectorsTotal: count.meta({ example: 14 }),
    /** Deliveries that ended successfully in the 24 h before the report. */
    success24h: count.meta({ example: 5231 }),
    /** Deliveries that ended failed (DLQ or FAILED), still counted after a retry sent them again. */
    failure24h: count.meta({ example: 17 }),
    /** Attempts that did not succeed. */
    failedAttempts24h: count.meta({ example: 140 }),
    /** Deliveries in the DLQ now. */
    dlqOpen: count.meta({ example: 3 }),
    /** Reconciliation expectations in MISSING now: a provider never confirmed (DESIGN §14). */
    expectationsMissing: count.meta({ example: 1 }),
    /** How often this instance reports: an instance silent for 3 intervals is shown as stale. */
    reportIntervalMs: z.number().int().min(1000).max(86_400_000).meta({ example: 60000 }),
    hourly: z
      .array(HourlyOutcomesSchema)
      .max(48)
      .meta({
        description:
          "Per hour of the last 24, oldest first: deliveries that ended successfully / failed, and attempts that did not succeed",
        example: [{ hour: "2026-11-22T05:00:00.000Z", success: 212, failure: 1, failedAttempts: 9 }],
      }),
    connectors: z.array(ReportedConnectorSchema).max(MAX_ACCEPTED_CONNECTORS).meta({
      description: "Per-connector numbers, those needing attention first (at most 1000; the totals cover all).",
    }),
  })
  .meta({ id: "ControlPlaneReport" });
export type ControlPlaneReport = z.infer<typeof ControlPlaneReportSchema>;

/** A connector as the control plane stores it: `failedAttempts24h` is absent from older engines. */
export const AcceptedConnectorSchema = ReportedConnectorSchema.extend({ failedAttempts24h: count.optional() });
export type AcceptedConnector = z.infer<typeof AcceptedConnectorSchema>;

export const AcceptedHourlySchema = HourlyOutcomesSchema.extend({ failedAttempts: count.optional() });
export type AcceptedHourly = z.infer<typeof AcceptedHourlySchema>;

/**
 * The body the control plane accepts. Fields beyond these are ignored (so newer engines can add some
 * without older control planes refusing their reports); fields added after the first engines are optional.
 */
export const AcceptedReportSchema = ControlPlaneReportSchema.extend({
  generatedAt: isoTime,
  instanceName: ControlPlaneReportSchema.shape.instanceName.optional(),
  failedAttempts24h: count.optional(),
  expectationsMissing: count.optional(),
  reportIntervalMs: ControlPlaneReportSchema.shape.reportIntervalMs.optional(),
  hourly: z.array(AcceptedHourlySchema).max(48).optional(),
  connectors: z.array(AcceptedConnectorSchema).max(MAX_ACCEPTED_CONNECTORS).optional(),
}).refine((r) => r.connectorsActive <= r.connectorsTotal, {
  message: "connectorsActive cannot exceed connectorsTotal",
  path: ["connectorsActive"],
});
export type AcceptedReport = z.infer<typeof AcceptedReportSchema>;
