import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getEvent, listEvents } from "../../verbs/events/list-events.ts";
import { EventSchema } from "./schema.ts";

const listRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/events`,
  tags: ["Events"],
  summary: "Recent events, newest first, each with its deliveries",
  ...guard("events.read"),
  request: {
    query: z.object({
      name: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: "Exact event name, or a prefix ending in *", example: "order.*" }),
      from: z.iso.datetime({ offset: true }).optional().openapi({ description: "Received at or after (ISO 8601)" }),
      to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Received before (ISO 8601)" }),
      schemaValid: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "false: events that did not match their catalog schema (validation warn)" }),
      cursor: z.string().max(500).optional().openapi({ description: "nextCursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonContent(z.object({ events: z.array(EventSchema), nextCursor: z.string().nullable() }), "Events"),
    ...errorResponses(400, 401, 403),
  },
});

const getRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/events/{id}`,
  tags: ["Events"],
  summary: "One event with its deliveries",
  ...guard("events.read"),
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: "id", in: "path" }, example: "evt_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    }),
  },
  responses: { 200: jsonContent(EventSchema, "The event"), ...errorResponses(401, 403, 404) },
});

export const listEventsRoute = createRouter()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const input = {
      ...q,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      schemaValid: q.schemaValid === undefined ? undefined : q.schemaValid === "true",
    };
    return c.json(await listEvents({ ctx: serviceContext(c), input }), 200);
  })
  .openapi(getRoute, async (c) => c.json(await getEvent({ ctx: serviceContext(c), input: c.req.valid("param") }), 200));
