import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getEventType } from "../../verbs/event-types/get-event-type.ts";
import { EventTypeNameParam, EventTypeSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/event-types/{name}`,
  tags: ["Event catalog"],
  summary: "One event type, with its schema and sample",
  ...guard("events.read"),
  request: { params: EventTypeNameParam },
  responses: { 200: jsonContent(EventTypeSchema, "The event type"), ...errorResponses(401, 403, 404) },
});

export const getEventTypeRoute = createRouter().openapi(route, async (c) =>
  c.json(await getEventType({ ctx: serviceContext(c), input: c.req.valid("param") }), 200),
);
