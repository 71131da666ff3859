import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { systemContext } from "../../context.ts";
import { ApiError } from "../../lib/errors.ts";
import { errorResponses, jsonContent } from "../../lib/openapi.ts";
import { receiveWebhook } from "../../verbs/sources/receive-webhook.ts";

const ReceivedSchema = z
  .object({
    received: z.literal(true),
    id: z.string().openapi({ example: "whk_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
    duplicate: z.boolean().openapi({ description: "A repeat of an event already received: nothing new was created" }),
  })
  .openapi("WebhookReceived");

const route = createRoute({
  method: "post",
  path: "/v1/webhooks/{sourceId}",
  tags: ["Inbound webhooks"],
  summary: "A provider delivers a signed webhook (no bearer token: the signature is the authentication)",
  description:
    "The signature is verified over the raw body with the source's verifier and active secrets. 200 for a verified webhook (and for a repeat of one already received, which creates nothing new); 401 for a missing or bad signature; 400 for a stale timestamp, or for a verified body that holds a NUL character (\\u0000, which cannot be stored as an event; the message says where). The webhook becomes an internal event asynchronously.",
  request: {
    params: z.object({
      sourceId: z
        .string()
        .min(1)
        .max(100)
        .openapi({ param: { name: "sourceId", in: "path" }, example: "src_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
    }),
    // Declared for the reference only: the body is read raw (any content type), never parsed before verification.
    body: {
      required: false,
      content: {
        "application/octet-stream": {
          schema: z.string().openapi({ format: "binary" }),
          example: '{"id":"evt_1QWmtN2eZvKYlo2C0ZCcXnYs","type":"payment_intent.succeeded","data":{"object":{}}}',
        },
      },
    },
  },
  responses: {
    200: jsonContent(ReceivedSchema, "Verified and stored (or a repeat)"),
    ...errorResponses(400, 401, 403, 404, 413),
  },
});

export const receiveWebhookRoute = createRouter().openapi(route, async (c) => {
  const rawBody = new Uint8Array(await c.req.arrayBuffer());
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // A provider's call carries no token: the engine receives it, and the signature check is the verb's.
  const ctx = systemContext(c.var.ctx, c.var.requestId);
  const outcome = await receiveWebhook({
    ctx,
    input: { sourceId: c.req.valid("param").sourceId, headers, rawBody },
  });
  if (outcome.status === 200)
    return c.json({ received: true as const, id: outcome.id, duplicate: outcome.duplicate }, 200);
  ctx.log.info(
    { sourceId: c.req.valid("param").sourceId, webhookId: outcome.id, reason: outcome.message },
    "inbound webhook rejected",
  );
  throw new ApiError(outcome.code, outcome.message, { webhookId: outcome.id });
});
