import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { setConnectorSecret } from "../../verbs/secrets/set-connector-secret.ts";
import { ConnectorIdParam } from "../connectors/schema.ts";
import { SecretSetSchema, SetSecretSchema } from "./schema.ts";

const route = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/connectors/{id}/secret`,
  tags: ["Secrets"],
  summary: "Set (create or rotate) a connector secret; its value is never returned",
  ...guard("secrets.write"),
  request: { params: ConnectorIdParam, body: jsonBody(SetSecretSchema) },
  responses: { 200: jsonContent(SecretSetSchema, "Stored"), ...errorResponses(400, 401, 403, 404, 413) },
});

export const setSecretRoute = createRouter().openapi(route, async (c) => {
  const { name, value } = c.req.valid("json");
  const result = await setConnectorSecret({
    ctx: serviceContext(c),
    input: { connectorId: c.req.valid("param").id, name, value },
  });
  return c.json(result, 200);
});
