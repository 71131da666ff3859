import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { deleteConnector } from "../../verbs/connectors/delete-connector.ts";
import { ConnectorIdParam, ConnectorSchema } from "./schema.ts";

const route = createRoute({
  method: "delete",
  path: `${ADMIN_BASE}/connectors/{id}`,
  tags: ["Connectors"],
  summary: "Delete a connector, with its secrets and deliveries",
  ...guard("connectors.write"),
  request: { params: ConnectorIdParam },
  responses: {
    200: jsonContent(
      z.object({ deleted: z.literal(true), connector: ConnectorSchema }),
      "Deleted; the connector as it was",
    ),
    ...errorResponses(401, 403, 404),
  },
});

export const deleteConnectorRoute = createRouter().openapi(route, async (c) => {
  const connector = await deleteConnector({
    ctx: serviceContext(c),
    input: c.req.valid("param"),
  });
  return c.json({ deleted: true as const, connector }, 200);
});
