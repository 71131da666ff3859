import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listReconciliation } from "../../verbs/reconciliation/list-reconciliation.ts";
import { ListQuery, ReconciliationListSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/reconciliation`,
  tags: ["Reconciliation"],
  summary: "Expectations (expected vs observed), newest first",
  description:
    "A successful delivery of a connector with `expect` opens an expectation; the provider's confirmation " +
    "event closes it as OBSERVED (or MISMATCH when a compared value differs); one still OPEN after " +
    "`withinMs` becomes MISSING. `status=UNEXPECTED` lists instead the events of an expected name that no " +
    "expectation was waiting for. Pages through `nextCursor`.",
  ...guard("deliveries.read"),
  request: { query: ListQuery },
  responses: {
    200: jsonContent(ReconciliationListSchema, "One page"),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const listReconciliationRoute = createRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const result = await listReconciliation({
    ctx: serviceContext(c),
    input: {
      status: q.status,
      connectorId: q.connectorId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      cursor: q.cursor,
      limit: q.limit,
    },
  });
  return c.json(result, 200);
});
