import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listConnectors } from "../../verbs/connectors/list-connectors.ts";
import { ConnectorSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/connectors`,
  tags: ["Connectors"],
  summary: "List connectors (oldest first, a page at a time)",
  ...guard("connectors.read"),
  request: {
    query: z.object({
      enabled: z.enum(["true", "false"]).optional().openapi({ description: "Only enabled (or disabled) ones" }),
      sourceEvent: z.string().max(200).optional().openapi({ example: "order.created" }),
      preset: z.string().max(100).optional(),
      tag: z.string().max(200).optional().openapi({ description: "key:value (or key)", example: "country:BR" }),
      cursor: z.string().max(100).optional().openapi({ description: "nextCursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ connectors: z.array(ConnectorSchema), nextCursor: z.string().nullable() }),
      "Connectors",
    ),
    ...errorResponses(400, 401, 403),
  },
});

export const listConnectorsRoute = createRouter().openapi(route, async (c) => {
  const { enabled, ...query } = c.req.valid("query");
  const page = await listConnectors({
    ctx: serviceContext(c),
    input: { ...query, enabled: enabled === undefined ? undefined : enabled === "true" },
  });
  return c.json(page, 200);
});
