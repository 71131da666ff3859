import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { upsertEventType } from "../../verbs/event-types/upsert-event-type.ts";
import { EventTypeInputSchema, EventTypeSchema } from "./schema.ts";

const route = createRoute({
  method: "put",
  path: `${ADMIN_BASE}/event-types`,
  tags: ["Event catalog"],
  summary: "Create an event type (no version) or replace one (the version you read), by name",
  description:
    "`schemaFormat` `json-schema` (draft 2020-12, formats checked) or `avro` (a record schema). A schema that " +
    "does not compile, or a sample that does not match it, answers 400 naming the problem; a schema over 256 KiB " +
    "413; a stale version, or no version for a name that exists, 409. Takes effect at ingest at once (other engine " +
    "processes within about two seconds at most). Audited.",
  ...guard("catalog.write"),
  request: { body: jsonBody(EventTypeInputSchema, "The event type") },
  responses: {
    200: jsonContent(EventTypeSchema, "Updated"),
    201: jsonContent(EventTypeSchema, "Created"),
    ...errorResponses(400, 401, 403, 404, 409, 413),
  },
});

export const upsertEventTypeRoute = createRouter().openapi(route, async (c) => {
  const { eventType, created } = await upsertEventType({ ctx: serviceContext(c), input: c.req.valid("json") });
  return created ? c.json(eventType, 201) : c.json(eventType, 200);
});
