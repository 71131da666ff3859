import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listEventTypes } from "../../verbs/event-types/list-event-types.ts";
import { EventTypeListSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/event-types`,
  tags: ["Event catalog"],
  summary: "The event catalog: defined types, and names seen at ingest with no entry",
  description:
    "Every defined event type (without its schema: GET one for that) and every event name seen at ingest that " +
    "has no entry (`defined: false`), each with the count of stored events of that name and when one was last " +
    "received, sorted by name.",
  ...guard("events.read"),
  responses: { 200: jsonContent(EventTypeListSchema, "The catalog"), ...errorResponses(401, 403) },
});

export const listEventTypesRoute = createRouter().openapi(route, async (c) =>
  c.json(await listEventTypes({ ctx: serviceContext(c) }), 200),
);
