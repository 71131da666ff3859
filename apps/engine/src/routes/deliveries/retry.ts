import { createRoute, z } from "@hono/zod-openapi";
import { RetryDlqInputSchema, RetryDlqResultSchema } from "@ib/core/contracts/replay";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { retryDelivery, retryDlq } from "../../verbs/deliveries/retry-deliveries.ts";
import { ConnectorIdParam, DeliveryIdParam } from "./schema.ts";

const retryDlqRoute = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/connectors/{id}/retry-dlq`,
  tags: ["Deliveries"],
  summary: "Move the connector's DLQ deliveries (all, or a subset) back to PENDING for a fresh round (history kept)",
  description:
    "No body: every DLQ delivery of the connector. A body `{from?, to?, errorContains?}` requeues only the DLQ " +
    "deliveries created in `[from, to)` whose last error contains the text (case-insensitive); `dryRun: true` " +
    "answers how many match (`matched`) and changes nothing. Audited with the subset.",
  ...guard("deliveries.retry"),
  request: {
    params: ConnectorIdParam,
    body: { required: false, content: { "application/json": { schema: RetryDlqInputSchema } } },
  },
  responses: {
    200: jsonContent(RetryDlqResultSchema, "How many matched and were requeued"),
    ...errorResponses(400, 401, 403, 404),
  },
});

const retryOneRoute = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/deliveries/{id}/retry`,
  tags: ["Deliveries"],
  summary: "Retry one FAILED or DLQ delivery (a fresh round; history kept)",
  ...guard("deliveries.retry"),
  request: { params: DeliveryIdParam },
  responses: {
    200: jsonContent(
      z.object({
        id: z.string(),
        status: z.literal("PENDING"),
        round: z.number().int(),
        nextAttemptAt: z.string(),
      }),
      "Requeued",
    ),
    ...errorResponses(401, 403, 404, 409),
  },
});

export const retryRoutes = createRouter()
  .openapi(retryDlqRoute, async (c) => {
    const subset = c.req.valid("json") ?? {};
    const result = await retryDlq({
      ctx: serviceContext(c),
      input: {
        connectorId: c.req.valid("param").id,
        from: subset.from ? new Date(subset.from) : undefined,
        to: subset.to ? new Date(subset.to) : undefined,
        errorContains: subset.errorContains,
        dryRun: subset.dryRun,
      },
    });
    return c.json(result, 200);
  })
  .openapi(retryOneRoute, async (c) => {
    const row = await retryDelivery({
      ctx: serviceContext(c),
      input: { deliveryId: c.req.valid("param").id },
    });
    return c.json(
      { id: row.id, status: "PENDING" as const, round: row.round, nextAttemptAt: row.nextAttemptAt.toISOString() },
      200,
    );
  });
