import { createRoute, z } from "@hono/zod-openapi";
import { SampleEventSchema } from "@ib/core/connector-schema";
import { TestSendResultSchema } from "@ib/core/contracts/test-send";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { testConnector } from "../../verbs/connectors/test-connector.ts";
import { ConnectorIdParam } from "./schema.ts";

const TestSendRequestSchema = z
  .object({
    event: SampleEventSchema.optional().openapi({
      description: "The event to send; defaults to the connector's sampleEvent, then to a minimal envelope",
    }),
  })
  .strict()
  .openapi("TestSendRequest", {
    example: { event: { id: "evt_sample", name: "order.created", payload: { orderId: "ord_42", total: 12.5 } } },
  });

const route = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/connectors/{id}/test`,
  tags: ["Connectors"],
  summary: "Send one real request for a saved connector now (a test send from the editor)",
  description:
    "Renders the connector's request for `event` (else its `sampleEvent`, else a minimal envelope) and sends it " +
    "exactly as the delivery worker does — secrets, `Idempotency-Key`/`webhook-id` (a `tst_…` id), the Standard " +
    "Webhooks signature, auth, the SSRF guard and the connector's `timeoutMs` — but outside the queue: no " +
    "delivery is created and the circuit is untouched. The answer holds the request as sent (secrets and the " +
    "signature masked), the destination's status, headers and body (first 64 KiB, secret values scrubbed), the " +
    "duration, and `outcome`: what a real delivery would do with that answer. An error status, a timeout or a " +
    "network error is still a 200 (with `error`). A destination the SSRF policy refuses answers 400 naming the " +
    "rule (`details.rule`), with nothing sent; a request that cannot be built (mapping, secret, auth) 422. " +
    "Audited as `connector.test`. At most one per connector per second: a second call within the second " +
    "answers 429 with `Retry-After`. The body may be omitted.",
  ...guard("connectors.write"),
  request: {
    params: ConnectorIdParam,
    body: { required: false, content: { "application/json": { schema: TestSendRequestSchema } } },
  },
  responses: {
    200: jsonContent(TestSendResultSchema, "The request sent and the destination's answer"),
    ...errorResponses(400, 401, 403, 404, 413, 422, 429),
  },
});

export const testConnectorRoute = createRouter().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const { event } = c.req.valid("json");
  return c.json(await testConnector({ ctx: serviceContext(c), input: { connectorId: id, event } }), 200);
});
