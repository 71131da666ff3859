import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getReplay } from "../../verbs/replays/get-replay.ts";
import { ReplayIdParam, ReplaySchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/replays/{id}`,
  tags: ["Replays"],
  summary: "A replay's progress: planned, created, delivered, failed, pending",
  ...guard("deliveries.read"),
  request: { params: ReplayIdParam },
  responses: { 200: jsonContent(ReplaySchema, "The replay"), ...errorResponses(401, 403, 404) },
});

export const getReplayRoute = createRouter().openapi(route, async (c) =>
  c.json(await getReplay({ ctx: serviceContext(c), input: c.req.valid("param") }), 200),
);
