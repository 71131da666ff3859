import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { upsertConnector } from "../../verbs/connectors/upsert-connector.ts";
import { CONNECTOR_INPUT_EXAMPLES, ConnectorInput, ConnectorSchema } from "./schema.ts";

const route = createRoute({
  method: "put",
  path: `${ADMIN_BASE}/connectors`,
  tags: ["Connectors"],
  summary: "Create a connector (no id) or replace one (id and the version you read)",
  description:
    "Without `id` a connector is created (201). With `id` and `version` it is replaced (200); a `version` " +
    "that is not the current one answers 409 CONFLICT, an unknown id 404. Omitted fields take their defaults.",
  ...guard("connectors.write"),
  request: { body: jsonBody(ConnectorInput, "The connector", CONNECTOR_INPUT_EXAMPLES) },
  responses: {
    200: jsonContent(ConnectorSchema, "Updated"),
    201: jsonContent(ConnectorSchema, "Created"),
    ...errorResponses(400, 401, 403, 404, 409, 413),
  },
});

export const upsertConnectorRoute = createRouter().openapi(route, async (c) => {
  const { connector, created } = await upsertConnector({
    ctx: serviceContext(c),
    input: c.req.valid("json"),
  });
  return created ? c.json(connector, 201) : c.json(connector, 200);
});
