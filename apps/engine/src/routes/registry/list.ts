import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listRegistry } from "../../verbs/registry/list-registry.ts";
import { CountrySchema, ProviderTypeSchema, RegistryEntrySchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/registry`,
  tags: ["Integration Registry"],
  summary: "Which connector serves each country and provider type",
  ...guard("registry.read"),
  request: { query: z.object({ country: CountrySchema.optional(), providerType: ProviderTypeSchema.optional() }) },
  responses: {
    200: jsonContent(z.object({ entries: z.array(RegistryEntrySchema) }), "Registry entries"),
    ...errorResponses(400, 401, 403),
  },
});

export const listRegistryRoute = createRouter().openapi(route, async (c) => {
  const { country, providerType } = c.req.valid("query");
  return c.json({ entries: await listRegistry({ ctx: serviceContext(c), input: { country, providerType } }) }, 200);
});
