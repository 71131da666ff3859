import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { deleteEventType } from "../../verbs/event-types/delete-event-type.ts";
import { EventTypeNameParam, EventTypeSchema } from "./schema.ts";

const route = createRoute({
  method: "delete",
  path: `${ADMIN_BASE}/event-types/{name}`,
  tags: ["Event catalog"],
  summary: "Remove an event type from the catalog (its stored events stay; ingest stops checking the name)",
  ...guard("catalog.write"),
  request: { params: EventTypeNameParam },
  responses: {
    200: jsonContent(
      z.object({ deleted: z.literal(true), eventType: EventTypeSchema }),
      "Deleted; the event type as it was",
    ),
    ...errorResponses(401, 403, 404),
  },
});

export const deleteEventTypeRoute = createRouter().openapi(route, async (c) => {
  const eventType = await deleteEventType({ ctx: serviceContext(c), input: c.req.valid("param") });
  return c.json({ deleted: true as const, eventType }, 200);
});
