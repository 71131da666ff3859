import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getDelivery } from "../../verbs/deliveries/get-delivery.ts";
import { EventSchema } from "../events/schema.ts";
import { DeliveryIdParam, DeliverySchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/deliveries/{id}`,
  tags: ["Deliveries"],
  summary: "One delivery with every attempt (redacted request, response, timing) and its event",
  ...guard("deliveries.read"),
  request: { params: DeliveryIdParam },
  responses: {
    200: jsonContent(
      DeliverySchema.extend({ connectorName: z.string(), event: EventSchema.omit({ deliveries: true }) }),
      "The delivery",
    ),
    ...errorResponses(401, 403, 404),
  },
});

export const getDeliveryRoute = createRouter().openapi(route, async (c) =>
  c.json(await getDelivery({ ctx: serviceContext(c), input: c.req.valid("param") }), 200),
);
