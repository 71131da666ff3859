import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { deleteSource } from "../../verbs/sources/delete-source.ts";
import { SourceIdParam } from "./schema.ts";

const route = createRoute({
  method: "delete",
  path: `${ADMIN_BASE}/sources/{id}`,
  tags: ["Inbound webhooks"],
  summary: "Delete a source, its secrets and its stored webhooks",
  ...guard("sources.write"),
  request: { params: SourceIdParam },
  responses: {
    200: jsonContent(z.object({ id: z.string(), deleted: z.literal(true) }), "Deleted"),
    ...errorResponses(401, 403, 404),
  },
});

export const deleteSourceRoute = createRouter().openapi(route, async (c) => {
  const result = await deleteSource({
    ctx: serviceContext(c),
    input: c.req.valid("param"),
  });
  return c.json(result, 200);
});
