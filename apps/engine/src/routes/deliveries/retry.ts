import { createRoute, z } from "@hono/zod-openapi";
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
  summary: "Move every DLQ delivery of the connector back to PENDING for a fresh round (history kept)",
  ...guard("deliveries.retry"),
  request: { params: ConnectorIdParam },
  responses: {
    200: jsonContent(z.object({ requeued: z.number().int().openapi({ example: 12 }) }), "How many were requeued"),
    ...errorResponses(401, 403, 404),
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
    const result = await retryDlq({
      ctx: serviceContext(c),
      input: { connectorId: c.req.valid("param").id },
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
