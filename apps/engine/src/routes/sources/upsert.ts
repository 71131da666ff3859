import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { upsertSource } from "../../verbs/sources/upsert-source.ts";
import { SourceInputSchema, SourceSchema } from "./schema.ts";

const route = createRoute({
  method: "put",
  path: `${ADMIN_BASE}/sources`,
  tags: ["Inbound webhooks"],
  summary: "Create or update an inbound webhook source (id in the body to update)",
  ...guard("sources.write"),
  request: {
    body: {
      ...jsonBody(SourceInputSchema),
      content: {
        "application/json": {
          schema: SourceInputSchema,
          example: {
            name: "Stripe payments",
            verifier: "stripe",
            eventMapping: { "payment_intent.succeeded": "payment.confirmed" },
            enabled: true,
          },
        },
      },
    },
  },
  responses: {
    200: jsonContent(z.object({ source: SourceSchema }), "Updated"),
    201: jsonContent(z.object({ source: SourceSchema }), "Created"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const upsertSourceRoute = createRouter().openapi(route, async (c) => {
  const { source, created } = await upsertSource({
    ctx: serviceContext(c),
    input: c.req.valid("json"),
  });
  return created ? c.json({ source }, 201) : c.json({ source }, 200);
});
