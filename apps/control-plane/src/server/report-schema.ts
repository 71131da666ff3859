import { z } from "zod";

const count = z.number().int().min(0).max(1_000_000_000);

export const ReportedConnectorSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(500),
  enabled: z.boolean(),
  success24h: count,
  failure24h: count,
  failedAttempts24h: count.optional(),
  dlqOpen: count,
});

/**
 * The body of `POST /api/integration-builder/report` (DESIGN §8). Fields beyond these are ignored,
 * so newer engines can add some without older control planes refusing their reports.
 */
export const ReportSchema = z
  .object({
    instanceId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e][\x20-\x7e]*$/, "printable ASCII, not starting with a space"),
    generatedAt: z.iso.datetime({ offset: true }),
    connectorsActive: count,
    connectorsTotal: count,
    /** Deliveries that ended successfully in the 24 h before the report. */
    success24h: count,
    /** Deliveries that ended failed (DLQ or FAILED), still counted after a retry sent them again. */
    failure24h: count,
    /** Attempts that did not succeed; optional so engines from before it still report. */
    failedAttempts24h: count.optional(),
    dlqOpen: count,
    /** How often this instance reports: an instance silent for 3 intervals is shown as stale. */
    reportIntervalMs: z.number().int().min(1000).max(86_400_000).optional(),
    /** The same counts in each hour, for the dashboard's chart. */
    hourly: z
      .array(
        z.object({
          hour: z.iso.datetime({ offset: true }),
          success: count,
          failure: count,
          failedAttempts: count.optional(),
        }),
      )
      .max(48)
      .optional(),
    connectors: z.array(ReportedConnectorSchema).max(10_000).optional(),
  })
  .refine((r) => r.connectorsActive <= r.connectorsTotal, {
    message: "connectorsActive cannot exceed connectorsTotal",
    path: ["connectorsActive"],
  });

export type Report = z.infer<typeof ReportSchema>;
