import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getConnector } from "../../verbs/connectors/get-connector.ts";
import { ConnectorIdParam, ConnectorSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/connectors/{id}`,
  tags: ["Connectors"],
  summary: "One connector, with the names of its secrets",
  ...guard("connectors.read"),
  request: { params: ConnectorIdParam },
  responses: { 200: jsonContent(ConnectorSchema, "The connector"), ...errorResponses(401, 403, 404) },
});

export const getConnectorRoute = createRouter().openapi(route, async (c) => {
  return c.json(await getConnector({ ctx: serviceContext(c), input: c.req.valid("param") }), 200);
});
