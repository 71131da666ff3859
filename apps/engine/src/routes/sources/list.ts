import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listSources } from "../../verbs/sources/get-source.ts";
import { SourceSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/sources`,
  tags: ["Inbound webhooks"],
  summary: "List inbound webhook sources (secret metadata only)",
  ...guard("sources.read"),
  responses: { 200: jsonContent(z.object({ sources: z.array(SourceSchema) }), "Sources"), ...errorResponses(401, 403) },
});

export const listSourcesRoute = createRouter().openapi(route, async (c) => {
  return c.json({ sources: await listSources({ ctx: serviceContext(c) }) }, 200);
});
