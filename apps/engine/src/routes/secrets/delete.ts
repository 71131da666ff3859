import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { deleteConnectorSecret } from "../../verbs/secrets/delete-connector-secret.ts";
import { SecretParams } from "./schema.ts";

const route = createRoute({
  method: "delete",
  path: `${ADMIN_BASE}/connectors/{id}/secrets/{name}`,
  tags: ["Secrets"],
  summary: "Delete a connector secret",
  ...guard("secrets.write"),
  request: { params: SecretParams },
  responses: {
    200: jsonContent(
      z.object({ name: z.string(), deletedAt: z.string() }).openapi({
        example: { name: "apiKey", deletedAt: "2026-01-01T12:00:00.000Z" },
      }),
      "Deleted",
    ),
    ...errorResponses(401, 403, 404),
  },
});

export const deleteSecretRoute = createRouter().openapi(route, async (c) => {
  const { id, name } = c.req.valid("param");
  const result = await deleteConnectorSecret({
    ctx: serviceContext(c),
    input: { connectorId: id, name },
  });
  return c.json(result, 200);
});
