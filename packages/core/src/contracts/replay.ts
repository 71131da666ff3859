import { z } from "zod";
import { EventTypeNameSchema } from "./catalog.ts";

/** Replays of stored events to a connector, and bulk retry (DESIGN §12). */

const Iso = z.iso.datetime({ offset: true });

export const ReplayInputSchema = z
  .object({
    connectorId: z.string().min(1).max(200).meta({ example: "con_01j9z3kq0a7w2e5r8t1y4u6i9o" }),
    from: Iso.optional().meta({
      description: "Start of the range of `receivedAt` (inclusive); required unless `eventId` is given",
      example: "2026-01-01T00:00:00Z",
    }),
    to: Iso.optional().meta({
      description: "End of the range (exclusive); required unless `eventId` is given",
      example: "2026-01-02T00:00:00Z",
    }),
    eventName: EventTypeNameSchema.optional().meta({
      description: "Only events with this exact name (it must be one the connector takes)",
    }),
    eventId: z.string().min(1).max(200).optional().meta({ description: "Replay this one event only" }),
    onlyUndelivered: z
      .boolean()
      .default(false)
      .meta({ description: "Skip events that already have a delivery for this connector (a backfill)" }),
    dryRun: z.boolean().default(false).meta({ description: "Count only: nothing is created" }),
  })
  .strict()
  .refine((v) => v.eventId !== undefined || (v.from !== undefined && v.to !== undefined), {
    message: "from and to are required (or eventId for one event)",
    path: ["from"],
  })
  .meta({
    id: "ReplayInput",
    example: {
      connectorId: "con_01j9z3kq0a7w2e5r8t1y4u6i9o",
      from: "2026-01-01T00:00:00Z",
      to: "2026-01-02T00:00:00Z",
    },
  });
export type ReplayInput = z.input<typeof ReplayInputSchema>;

export const ReplayPlanSchema = z
  .object({
    dryRun: z.literal(true),
    events: z.number().int().meta({ description: "Stored events in the range the connector's sourceEvent takes" }),
    deliveries: z.number().int().meta({ description: "Deliveries a real run would create (after the filter)" }),
  })
  .meta({ id: "ReplayPlan", example: { dryRun: true, events: 500, deliveries: 480 } });
export type ReplayPlan = z.infer<typeof ReplayPlanSchema>;

export const ReplayStartedSchema = z
  .object({
    replayId: z.string().nullable().meta({
      description: "null when nothing matched (nothing was created)",
      example: "rpl_01j9z3m4x8r2w5k7q1c6v0b3n8",
    }),
    deliveries: z.number().int().meta({ description: "Deliveries the replay creates", example: 480 }),
  })
  .meta({ id: "ReplayStarted" });
export type ReplayStarted = z.infer<typeof ReplayStartedSchema>;

export const REPLAY_STATES = ["running", "done", "failed"] as const;

export const ReplaySchema = z
  .object({
    id: z.string(),
    connectorId: z.string().nullable().meta({ description: "null once the connector was deleted" }),
    from: z.string(),
    to: z.string(),
    eventName: z.string().nullable(),
    eventId: z.string().nullable(),
    onlyUndelivered: z.boolean(),
    state: z.enum(REPLAY_STATES).meta({ description: "running: deliveries are still being created" }),
    planned: z.number().int().meta({ description: "Deliveries counted when the replay was asked for" }),
    created: z.number().int().meta({ description: "Deliveries created so far" }),
    delivered: z.number().int().meta({ description: "Of those, SUCCESS" }),
    failed: z.number().int().meta({ description: "Of those, FAILED or DLQ" }),
    pending: z.number().int().meta({ description: "Of those, not finished yet" }),
    error: z.string().nullable(),
    actor: z.object({ id: z.string().nullable(), role: z.string().nullable() }),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({
    id: "Replay",
    example: {
      id: "rpl_01j9z3m4x8r2w5k7q1c6v0b3n8",
      connectorId: "con_01j9z3kq0a7w2e5r8t1y4u6i9o",
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-01-02T00:00:00.000Z",
      eventName: null,
      eventId: null,
      onlyUndelivered: false,
      state: "done",
      planned: 480,
      created: 480,
      delivered: 470,
      failed: 2,
      pending: 8,
      error: null,
      actor: { id: "tok_01j9z3", role: "admin" },
      createdAt: "2026-01-03T09:00:00.000Z",
      completedAt: "2026-01-03T09:00:02.000Z",
    },
  });
export type Replay = z.infer<typeof ReplaySchema>;

/** `POST …/connectors/:id/retry-dlq` body (all optional): requeue only the DLQ deliveries that match. */
export const RetryDlqInputSchema = z
  .object({
    from: Iso.optional().meta({ description: "Created at or after (ISO 8601)", example: "2026-01-01T00:00:00Z" }),
    to: Iso.optional().meta({ description: "Created before (ISO 8601)", example: "2026-01-02T00:00:00Z" }),
    errorContains: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: "Only deliveries whose last error contains this text (case-insensitive)", example: "503" }),
    dryRun: z.boolean().default(false).meta({ description: "Count only: `matched` says how many would be requeued" }),
  })
  .strict()
  .meta({ id: "RetryDlqInput" });
export type RetryDlqInput = z.input<typeof RetryDlqInputSchema>;

export const RetryDlqResultSchema = z
  .object({
    requeued: z.number().int().meta({ example: 37 }),
    matched: z
      .number()
      .int()
      .meta({ description: "DLQ deliveries that matched (= requeued unless dryRun)", example: 37 }),
  })
  .meta({ id: "RetryDlqResult" });
export type RetryDlqResult = z.infer<typeof RetryDlqResultSchema>;
