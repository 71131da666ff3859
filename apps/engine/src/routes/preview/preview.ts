import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { previewConnector } from "../../verbs/connectors/preview-connector.ts";
import { PreviewRequestSchema, PreviewResponseSchema } from "./schema.ts";

const route = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/preview`,
  tags: ["Connectors"],
  summary: "Render the exact request a connector would send for an event (secrets masked, nothing sent)",
  description:
    "For a saved connector (`connectorId`) or an unsaved one (`connector`), against `event` or the " +
    "connector's `sampleEvent`. The request is complete — the headers the worker adds (`Idempotency-Key` and " +
    "`webhook-id` as `dlv_preview`, `User-Agent`, the Standard Webhooks `webhook-timestamp` and masked " +
    "`webhook-signature`) and the connector's auth are built by the worker's own functions — so it is what a " +
    "delivery sends but for the delivery id and the time. `warnings` lists missing event paths, secrets not " +
    "set, a signing secret or auth that would fail, and a destination the SSRF policy would refuse. A mapping " +
    "that cannot render at all answers 422.",
  ...guard("connectors.read"),
  request: { body: jsonBody(PreviewRequestSchema) },
  responses: {
    200: jsonContent(PreviewResponseSchema, "The rendered request"),
    ...errorResponses(400, 401, 403, 404, 413, 422),
  },
});

export const previewRoute = createRouter().openapi(route, async (c) => {
  return c.json(await previewConnector({ ctx: serviceContext(c), input: c.req.valid("json") }), 200);
});
