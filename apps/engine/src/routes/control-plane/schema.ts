import { z } from "@hono/zod-openapi";

export const ReportedConnectorSchema = z
  .object({
    id: z.string().openapi({ example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    name: z.string().openapi({ example: "Orders to ERP" }),
    enabled: z.boolean(),
    success24h: z.number().int(),
    failure24h: z.number().int(),
    failedAttempts24h: z.number().int(),
    dlqOpen: z.number().int(),
  })
  .openapi("ReportedConnector");

export const ControlPlaneReportSchema = z
  .object({
    instanceId: z.string().openapi({ example: "engine-eu-1" }),
    generatedAt: z.string().openapi({ example: "2026-11-22T06:00:00.000Z" }),
    connectorsActive: z.number().int().openapi({ example: 12 }),
    connectorsTotal: z.number().int().openapi({ example: 14 }),
    success24h: z.number().int().openapi({ example: 5231 }),
    failure24h: z.number().int().openapi({ example: 17 }),
    failedAttempts24h: z.number().int().openapi({ example: 140 }),
    dlqOpen: z.number().int().openapi({ example: 3 }),
    reportIntervalMs: z.number().int().openapi({ example: 60000 }),
    hourly: z
      .array(
        z.object({
          hour: z.string(),
          success: z.number().int(),
          failure: z.number().int(),
          failedAttempts: z.number().int(),
        }),
      )
      .openapi({
        description:
          "Per hour of the last 24, oldest first: deliveries that ended successfully / failed, and attempts that did not succeed",
        example: [{ hour: "2026-11-22T05:00:00.000Z", success: 212, failure: 1, failedAttempts: 9 }],
      }),
    connectors: z.array(ReportedConnectorSchema).openapi({
      description: "Per-connector numbers, those needing attention first (at most 1000; the totals cover all).",
    }),
  })
  .openapi("ControlPlaneReport");

export const ReportPushedSchema = z
  .object({
    sent: z.literal(true),
    controlPlaneStatus: z.number().int().openapi({ example: 201 }),
    report: ControlPlaneReportSchema,
  })
  .openapi("ReportPushed");
