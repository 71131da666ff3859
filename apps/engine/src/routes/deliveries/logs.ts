import { createRoute, z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES, type DeliveryStatus } from "@ib/core/delivery-state";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listDeliveryLogs } from "../../verbs/deliveries/list-delivery-logs.ts";
import { ConnectorIdParam, DeliverySchema } from "./schema.ts";

const Statuses = z
  .string()
  .max(200)
  .transform((v, c) => {
    const list = v
      .split(",")
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    for (const s of list) {
      if (!(DELIVERY_STATUSES as readonly string[]).includes(s)) {
        c.addIssue({ code: "custom", message: `Unknown status ${s}: use ${DELIVERY_STATUSES.join(", ")}` });
        return z.NEVER;
      }
    }
    return list as DeliveryStatus[];
  })
  .openapi({ type: "string", description: "One status or a comma-separated list", example: "DLQ,FAILED" });

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/connectors/{id}/logs`,
  tags: ["Deliveries"],
  summary: "A connector's deliveries with their attempts, newest first",
  ...guard("deliveries.read"),
  request: {
    params: ConnectorIdParam,
    query: z.object({
      status: Statuses.optional(),
      eventId: z.string().max(200).optional(),
      from: z.iso.datetime({ offset: true }).optional().openapi({ description: "Created at or after (ISO 8601)" }),
      to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Created at or before (ISO 8601)" }),
      errorContains: z
        .string()
        .min(1)
        .max(500)
        .optional()
        .openapi({ description: "The last error contains this text (case-insensitive)", example: "503" }),
      cursor: z.string().max(500).optional().openapi({ description: "nextCursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ deliveries: z.array(DeliverySchema), nextCursor: z.string().nullable() }),
      "One page of deliveries",
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const deliveryLogsRoute = createRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const result = await listDeliveryLogs({
    ctx: serviceContext(c),
    input: {
      connectorId: c.req.valid("param").id,
      statuses: q.status,
      eventId: q.eventId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      errorContains: q.errorContains,
      cursor: q.cursor,
      limit: q.limit,
    },
  });
  return c.json(result, 200);
});
