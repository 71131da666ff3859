import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { summarizeReconciliation } from "../../verbs/reconciliation/summarize-reconciliation.ts";
import { RangeQuery, ReconciliationSummarySchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/reconciliation/summary`,
  tags: ["Reconciliation"],
  summary: "Counts per status and connector, the oldest open expectation, time to observe (p50/p95)",
  description:
    "Totals and per-connector counts of OPEN, OBSERVED, MISMATCH, MISSING and UNEXPECTED (unexpected events " +
    "not taken by a later expectation), the OPEN expectation waiting longest, and the 50th/95th percentile of " +
    "the time from opening to observation, in milliseconds. `from`/`to` narrow by opening time.",
  ...guard("deliveries.read"),
  request: { query: RangeQuery },
  responses: {
    200: jsonContent(ReconciliationSummarySchema, "The summary"),
    ...errorResponses(400, 401, 403),
  },
});

export const reconciliationSummaryRoute = createRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const summary = await summarizeReconciliation({
    ctx: serviceContext(c),
    input: {
      connectorId: q.connectorId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    },
  });
  return c.json(summary, 200);
});
