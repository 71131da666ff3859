import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listInboundWebhooks, readRawWebhook } from "../../verbs/sources/list-inbound-webhooks.ts";
import { InboundStatusSchema, InboundWebhookSchema, RawInboundWebhookSchema, SourceIdParam } from "./schema.ts";

const listRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/sources/{id}/webhooks`,
  tags: ["Inbound webhooks"],
  summary: "Recent inbound webhooks of a source, newest first, with their verification outcome",
  ...guard("sources.read"),
  request: {
    params: SourceIdParam,
    query: z.object({
      status: InboundStatusSchema.optional(),
      cursor: z.string().max(100).optional().openapi({ description: "nextCursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ webhooks: z.array(InboundWebhookSchema), nextCursor: z.string().nullable() }),
      "Inbound webhooks (without raw body and headers)",
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

const rawRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/sources/{id}/webhooks/{webhookId}`,
  tags: ["Inbound webhooks"],
  summary: "One inbound webhook with its raw body and headers (needs integrations.webhooks.raw.read; audited)",
  ...guard("integrations.webhooks.raw.read"),
  request: {
    params: SourceIdParam.extend({
      webhookId: z
        .string()
        .min(1)
        .max(100)
        .openapi({ param: { name: "webhookId", in: "path" } }),
    }),
  },
  responses: {
    200: jsonContent(z.object({ webhook: RawInboundWebhookSchema }), "The webhook as received"),
    ...errorResponses(401, 403, 404),
  },
});

export const sourceWebhooksRoute = createRouter()
  .openapi(listRoute, async (c) => {
    const { status, cursor, limit } = c.req.valid("query");
    const page = await listInboundWebhooks({
      ctx: serviceContext(c),
      input: { sourceId: c.req.valid("param").id, status, cursor, limit },
    });
    return c.json(page, 200);
  })
  .openapi(rawRoute, async (c) => {
    const { id, webhookId } = c.req.valid("param");
    const webhook = await readRawWebhook({
      ctx: serviceContext(c),
      input: { sourceId: id, webhookId },
    });
    return c.json({ webhook }, 200);
  });
