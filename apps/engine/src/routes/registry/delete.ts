import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { deleteRegistryEntry } from "../../verbs/registry/delete-registry-entry.ts";

const route = createRoute({
  method: "delete",
  path: `${ADMIN_BASE}/registry/{id}`,
  tags: ["Integration Registry"],
  summary: "Remove a registry entry",
  ...guard("registry.write"),
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(100)
        .openapi({ param: { name: "id", in: "path" }, example: "reg_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    }),
  },
  responses: {
    200: jsonContent(z.object({ id: z.string(), deleted: z.literal(true) }), "Removed"),
    ...errorResponses(401, 403, 404),
  },
});

export const deleteRegistryRoute = createRouter().openapi(route, async (c) => {
  const result = await deleteRegistryEntry({
    ctx: serviceContext(c),
    input: { id: c.req.valid("param").id },
  });
  return c.json(result, 200);
});
