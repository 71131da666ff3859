import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { addSourceSecret } from "../../verbs/sources/add-source-secret.ts";
import { revokeSourceSecret } from "../../verbs/sources/revoke-source-secret.ts";
import { SourceIdParam, SourceSecretInputSchema, SourceSecretResultSchema } from "./schema.ts";

const setRoute = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/sources/{id}/secret`,
  tags: ["Inbound webhooks"],
  summary: "Add or rotate the source's signing secret; earlier ones stay valid for previousSecretTtlSeconds",
  ...guard("sources.write"),
  request: { params: SourceIdParam, body: jsonBody(SourceSecretInputSchema) },
  responses: {
    201: jsonContent(SourceSecretResultSchema, "Stored (the value is never returned)"),
    ...errorResponses(400, 401, 403, 404),
  },
});

const revokeRoute = createRoute({
  method: "delete",
  path: `${ADMIN_BASE}/sources/{id}/secrets/{secretId}`,
  tags: ["Inbound webhooks"],
  summary: "Remove one signing secret at once",
  ...guard("sources.write"),
  request: {
    params: SourceIdParam.extend({
      secretId: z
        .string()
        .min(1)
        .max(100)
        .openapi({ param: { name: "secretId", in: "path" } }),
    }),
  },
  responses: {
    200: jsonContent(z.object({ id: z.string(), deleted: z.literal(true) }), "Removed"),
    ...errorResponses(401, 403, 404),
  },
});

export const setSourceSecretRoute = createRouter()
  .openapi(setRoute, async (c) => {
    const body = c.req.valid("json");
    const result = await addSourceSecret({
      ctx: serviceContext(c),
      input: { sourceId: c.req.valid("param").id, ...body },
    });
    return c.json(result, 201);
  })
  .openapi(revokeRoute, async (c) => {
    const { id, secretId } = c.req.valid("param");
    const result = await revokeSourceSecret({
      ctx: serviceContext(c),
      input: { sourceId: id, secretId },
    });
    return c.json(result, 200);
  });
