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
  summary: "Create or update a source: an inbound webhook endpoint, or a RabbitMQ queue / NATS stream to consume",
  description:
    "`kind` webhook (the default) takes `verifier` and its `config`; `kind` amqp takes `url`, `queue`, `prefetch`; " +
    "`kind` nats takes `servers`, `stream`, `consumer`, `prefetch`. A broker password goes in a source secret, " +
    "referred to in the URL as `<<secret.name>>` (a literal password is refused). A broker source is consumed by " +
    "one worker process within seconds of being saved; each message becomes an event (its id the message id) " +
    "named by `eventMapping` (keyed by routing key / subject) or `eventName`. A source's kind never changes.",
  ...guard("sources.write"),
  request: {
    body: {
      ...jsonBody(SourceInputSchema),
      content: {
        "application/json": {
          schema: SourceInputSchema,
          examples: {
            webhook: {
              summary: "A Stripe webhook endpoint",
              value: {
                name: "Stripe payments",
                verifier: "stripe",
                eventMapping: { "payment_intent.succeeded": "payment.confirmed" },
                enabled: true,
              },
            },
            amqp: {
              summary: "A RabbitMQ queue",
              value: {
                name: "Orders from RabbitMQ",
                kind: "amqp",
                url: "amqp://integrations:<<secret.brokerPassword>>@rabbitmq.internal:5672",
                queue: "orders.to-integrations",
                prefetch: 50,
                eventMapping: { "orders.created": "order.created" },
              },
            },
            nats: {
              summary: "A NATS JetStream stream",
              value: {
                name: "Payments from JetStream",
                kind: "nats",
                servers: "nats://nats.internal:4222",
                stream: "PAYMENTS",
                consumer: "integration-builder",
                eventName: "payment.confirmed",
              },
            },
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
