import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getSource } from "../../verbs/sources/get-source.ts";
import { SourceIdParam, SourceSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/sources/{id}`,
  tags: ["Inbound webhooks"],
  summary: "One source (a broker source with its consumer's state in runtime)",
  ...guard("sources.read"),
  request: { params: SourceIdParam },
  responses: { 200: jsonContent(z.object({ source: SourceSchema }), "The source"), ...errorResponses(401, 403, 404) },
});

export const getSourceRoute = createRouter().openapi(route, async (c) => {
  return c.json({ source: await getSource({ ctx: serviceContext(c), input: c.req.valid("param") }) }, 200);
});
