import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listConnectorSecrets } from "../../verbs/secrets/list-connector-secrets.ts";
import { ConnectorIdParam, SecretNameSchema } from "../connectors/schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/connectors/{id}/secrets`,
  tags: ["Secrets"],
  summary: "Names and timestamps of a connector's secrets (never their values)",
  ...guard("connectors.read"),
  request: { params: ConnectorIdParam },
  responses: {
    200: jsonContent(z.object({ secrets: z.array(SecretNameSchema) }), "Secret names"),
    ...errorResponses(401, 403, 404),
  },
});

export const listSecretsRoute = createRouter().openapi(route, async (c) => {
  const secrets = await listConnectorSecrets({
    ctx: serviceContext(c),
    input: { connectorId: c.req.valid("param").id },
  });
  return c.json({ secrets }, 200);
});
