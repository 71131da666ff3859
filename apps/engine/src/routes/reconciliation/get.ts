import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getExpectation } from "../../verbs/reconciliation/get-expectation.ts";
import { ExpectationDetailSchema, ExpectationIdParam } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/reconciliation/{id}`,
  tags: ["Reconciliation"],
  summary: "One expectation: its delivery, the event it carried and the event that closed it",
  description:
    "The expected values (from the delivery and its answer) and the observed ones (from the confirmation " +
    "event) side by side; `differences` lists the compare pairs that disagree. `delivery`, `event` and " +
    "`observedEvent` are null once retention pruned them.",
  ...guard("deliveries.read"),
  request: { params: ExpectationIdParam },
  responses: {
    200: jsonContent(ExpectationDetailSchema, "The expectation"),
    ...errorResponses(401, 403, 404),
  },
});

export const getExpectationRoute = createRouter().openapi(route, async (c) =>
  c.json(await getExpectation({ ctx: serviceContext(c), input: c.req.valid("param") }), 200),
);
