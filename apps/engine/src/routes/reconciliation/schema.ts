import { z } from "@hono/zod-openapi";
import { RECONCILIATION_STATUSES } from "@ib/core/contracts/reconciliation";

export {
  ExpectationDetailSchema,
  ReconciliationListSchema,
  ReconciliationSummarySchema,
} from "@ib/core/contracts/reconciliation";

const time = (description: string) =>
  z.iso.datetime({ offset: true }).optional().openapi({ description, example: "2026-01-01T00:00:00.000Z" });

/** Filters shared by the list and the summary. */
export const RangeQuery = z.object({
  connectorId: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: "Only this connector", example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
  from: time("Opened (UNEXPECTED: received) at or after (ISO 8601)"),
  to: time("Opened (UNEXPECTED: received) at or before (ISO 8601)"),
});

export const ListQuery = RangeQuery.extend({
  status: z
    .string()
    .max(20)
    .optional()
    .transform((v, c) => {
      if (v === undefined || v === "") return undefined;
      const status = v.trim().toUpperCase();
      if (!(RECONCILIATION_STATUSES as readonly string[]).includes(status)) {
        c.addIssue({ code: "custom", message: `Unknown status ${v}: use ${RECONCILIATION_STATUSES.join(", ")}` });
        return z.NEVER;
      }
      return status as (typeof RECONCILIATION_STATUSES)[number];
    })
    .openapi({
      type: "string",
      enum: [...RECONCILIATION_STATUSES],
      description:
        "OPEN, OBSERVED, MISMATCH or MISSING (expectations), or UNEXPECTED (events nobody expected); default: every expectation",
      example: "MISSING",
    }),
  cursor: z.string().max(500).optional().openapi({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ExpectationIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "exp_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
});
