import { z } from "zod";
import { isValidEventName } from "../event-match.ts";
import { checkExpectPath, type ExpectPathRoot } from "../reconciliation.ts";

/**
 * Reconciliation shapes (DESIGN §14): a connector's `expect`, the expectations it opens, the events nobody
 * expected, and the answers of `GET …/reconciliation` and `…/reconciliation/summary`.
 */

export const EXPECTATION_STATUSES = ["OPEN", "OBSERVED", "MISMATCH", "MISSING"] as const;
export const ExpectationStatusSchema = z.enum(EXPECTATION_STATUSES);
export type ExpectationStatus = z.infer<typeof ExpectationStatusSchema>;

/** What the list filters on: an expectation's status, or UNEXPECTED for events nobody expected. */
export const RECONCILIATION_STATUSES = [...EXPECTATION_STATUSES, "UNEXPECTED"] as const;
export const ReconciliationStatusSchema = z.enum(RECONCILIATION_STATUSES);
export type ReconciliationStatus = z.infer<typeof ReconciliationStatusSchema>;

export const UNEXPECTED_REASONS = ["no_expectation", "already_closed", "no_key"] as const;
export type UnexpectedReason = (typeof UNEXPECTED_REASONS)[number];

export const EXPECT_LIMITS = {
  withinMs: { min: 1_000, max: 30 * 86_400_000 },
  compare: 20,
  pathLength: 2_000,
} as const;

const path = (root: ExpectPathRoot, single: boolean, example: string, description: string) =>
  z
    .string()
    .min(1)
    .max(EXPECT_LIMITS.pathLength)
    .superRefine((value, ctx) => {
      for (const message of checkExpectPath(value, root, { single })) ctx.addIssue({ code: "custom", message });
    })
    .meta({ example, description });

export const ComparePairSchema = z
  .object({
    expected: path(
      "delivery",
      false,
      "$.event.payload.amount",
      "Over {event, response}: the value the delivery stands for",
    ),
    observed: path("event", false, "$.payload.amount", "Over the incoming event: the value the provider confirms"),
    optional: z
      .boolean()
      .optional()
      .meta({ description: "Compare only when the incoming event has a value at `observed` (default false)" }),
  })
  .strict();

export const ExpectSchema = z
  .object({
    eventName: z
      .string()
      .max(200)
      .refine(isValidEventName, "an exact event name, e.g. payment.confirmed (no wildcard)")
      .meta({ example: "stripe.payment_intent.succeeded", description: "The confirmation event's name" }),
    key: path(
      "delivery",
      true,
      "$.response.body.id",
      "Over {event, response} of a successful delivery (response = {status, headers, body}; body parsed when JSON): the value that identifies what the provider will confirm",
    ),
    eventKey: path(
      "event",
      true,
      "$.payload.data.object.id",
      "Over the incoming event ({id, name, source, time, payload}): where it carries the same value",
    ),
    withinMs: z
      .number()
      .int()
      .min(EXPECT_LIMITS.withinMs.min)
      .max(EXPECT_LIMITS.withinMs.max)
      .meta({ example: 900_000, description: "How long to wait for the confirmation (1 s to 30 days)" }),
    compare: z
      .array(ComparePairSchema)
      .max(EXPECT_LIMITS.compare)
      .optional()
      .meta({ description: "Values that must agree; a difference closes the expectation as MISMATCH" }),
  })
  .strict()
  .meta({
    id: "Expect",
    description:
      "Reconciliation: after each successful delivery, expect the event `eventName` whose `eventKey` equals `key` within `withinMs`",
    example: {
      eventName: "stripe.payment_intent.succeeded",
      key: "$.response.body.id",
      eventKey: "$.payload.data.object.id",
      withinMs: 900_000,
      compare: [{ expected: "$.response.body.amount", observed: "$.payload.data.object.amount_received" }],
    },
  });
export type ExpectInput = z.infer<typeof ExpectSchema>;

const isoTime = z.string().meta({ example: "2026-01-01T12:00:00.000Z" });

export const ExpectedValueSchema = z.object({
  expected: z.string(),
  observed: z.string(),
  optional: z.boolean().optional(),
  value: z.unknown(),
});
export const ObservedValueSchema = z.object({
  observed: z.string(),
  value: z.unknown(),
  missing: z.boolean().optional(),
});

export const ExpectationSchema = z
  .object({
    id: z.string().meta({ example: "exp_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    status: ExpectationStatusSchema,
    connectorId: z.string(),
    connectorName: z.string().nullable(),
    deliveryId: z.string(),
    eventId: z.string().meta({ description: "The event the delivery carried" }),
    eventName: z.string().meta({ description: "The confirmation's event name", example: "payment.confirmed" }),
    eventKey: z.string(),
    key: z.string().nullable().meta({ description: "null when it could not be read from the answer (see keyError)" }),
    keyError: z.string().nullable(),
    expected: z.array(ExpectedValueSchema),
    observedEventId: z.string().nullable(),
    observed: z.array(ObservedValueSchema).nullable(),
    differences: z.array(z.number().int()).meta({ description: "Indices of the compare pairs that differ" }),
    late: z.boolean().meta({ description: "Observed after it had been marked MISSING" }),
    openedAt: isoTime,
    dueAt: isoTime,
    missingAt: isoTime.nullable(),
    closedAt: isoTime.nullable(),
  })
  .meta({ id: "Expectation" });
export type Expectation = z.infer<typeof ExpectationSchema>;

export const UnexpectedEventSchema = z
  .object({
    id: z.string().meta({ example: "unx_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    status: z.literal("UNEXPECTED"),
    connectorId: z.string(),
    connectorName: z.string().nullable(),
    eventId: z.string(),
    eventName: z.string(),
    key: z.string().nullable(),
    reason: z.enum(UNEXPECTED_REASONS).meta({
      description:
        "no_expectation: no expectation with that key; already_closed: its expectation was already observed; no_key: the event has no value at eventKey",
    }),
    expectationId: z.string().nullable(),
    resolvedAt: isoTime.nullable().meta({ description: "Set when an expectation opened afterwards took it" }),
    receivedAt: isoTime,
  })
  .meta({ id: "UnexpectedEvent" });
export type UnexpectedEvent = z.infer<typeof UnexpectedEventSchema>;

export const ReconciliationListSchema = z
  .object({
    items: z.array(z.union([ExpectationSchema, UnexpectedEventSchema])),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "ReconciliationList" });
export type ReconciliationList = z.infer<typeof ReconciliationListSchema>;

const count = z.number().int().min(0);
export const StatusCountsSchema = z.object({
  OPEN: count,
  OBSERVED: count,
  MISMATCH: count,
  MISSING: count,
  UNEXPECTED: count,
});
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

export const ReconciliationSummarySchema = z
  .object({
    totals: StatusCountsSchema,
    connectors: z.array(
      z.object({
        connectorId: z.string(),
        connectorName: z.string().nullable(),
        counts: StatusCountsSchema,
        oldestOpenAt: isoTime.nullable(),
      }),
    ),
    oldestOpen: z
      .object({ id: z.string(), connectorId: z.string(), openedAt: isoTime, dueAt: isoTime })
      .nullable()
      .meta({ description: "The expectation waiting longest (OPEN)" }),
    timeToObserveMs: z
      .object({ count, p50: z.number().nullable(), p95: z.number().nullable() })
      .meta({ description: "From opening to observation, over OBSERVED and MISMATCH expectations in the range" }),
  })
  .meta({ id: "ReconciliationSummary" });
export type ReconciliationSummary = z.infer<typeof ReconciliationSummarySchema>;

const EventSideSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string().nullable(),
  payload: z.unknown(),
  receivedAt: isoTime,
});

export const ExpectationDetailSchema = ExpectationSchema.extend({
  delivery: z
    .object({
      id: z.string(),
      status: z.string(),
      completedAt: isoTime.nullable(),
      lastStatusCode: z.number().nullable(),
      response: z.unknown().meta({ description: "The stored answer of its last attempt (body may be truncated)" }),
    })
    .nullable()
    .meta({ description: "null once retention pruned it" }),
  event: EventSideSchema.nullable().meta({ description: "The event the delivery carried (null once pruned)" }),
  observedEvent: EventSideSchema.nullable(),
}).meta({ id: "ExpectationDetail" });
export type ExpectationDetail = z.infer<typeof ExpectationDetailSchema>;
