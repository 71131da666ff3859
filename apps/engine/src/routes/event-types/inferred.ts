import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { INFER_SAMPLES, inferEventType } from "../../verbs/event-types/infer-event-type.ts";
import { EventTypeNameParam, InferredEventTypeSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/event-types/{name}/inferred-schema`,
  tags: ["Event catalog"],
  summary: "Create from observed: a JSON Schema inferred from stored events of this name (nothing is saved)",
  description:
    `Infers a draft 2020-12 JSON Schema from the latest ${INFER_SAMPLES} stored payloads of the name: merged types, ` +
    "fields present in every sample required, formats (date-time, date, email, uri, uuid) when every sample has " +
    "one. Save it with PUT …/event-types after reviewing it. 404 when no event of the name is stored.",
  ...guard("events.read"),
  request: { params: EventTypeNameParam },
  responses: {
    200: jsonContent(InferredEventTypeSchema, "The inferred schema and the newest payload as its sample"),
    ...errorResponses(401, 403, 404),
  },
});

export const inferredSchemaRoute = createRouter().openapi(route, async (c) =>
  c.json(await inferEventType({ ctx: serviceContext(c), input: c.req.valid("param") }), 200),
);
