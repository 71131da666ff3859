import { z } from "@hono/zod-openapi";
import {
  AmqpSourceFieldsSchema,
  NatsSourceFieldsSchema,
  SOURCE_KINDS,
  SourceRuntimeSchema,
} from "@ib/core/contracts/broker";
import { isValidEventName } from "@ib/core/event-match";
import { VERIFIERS } from "@ib/providers/verifiers";

const eventName = z.string().refine(isValidEventName, "an event name such as payment.confirmed");

const SourceCommonFields = {
  id: z.string().min(1).max(100).optional().openapi({ description: "Set to update that source; omit to create one" }),
  version: z.number().int().min(1).optional().openapi({ description: "The version you read; stale → 409" }),
  name: z.string().trim().min(1).max(200).openapi({ example: "Stripe payments" }),
  eventName: eventName.nullable().optional().openapi({
    description: "Every verified webhook (or broker message) becomes this event (unless eventMapping names another)",
    example: "stripe.event",
  }),
  eventMapping: z
    .record(z.string().min(1).max(200), eventName)
    .refine((m) => Object.keys(m).length <= 200, "at most 200 entries")
    .nullable()
    .optional()
    .openapi({
      description:
        "Provider event type (webhooks) or routing key / subject (brokers) → internal event name. Keys are exact, a trailing wildcard (charge.*) or *. Types not matched fall back to eventName, or are ignored (webhooks) / refused (brokers)",
      example: { "payment_intent.succeeded": "payment.confirmed", "charge.refunded": "payment.refunded" },
    }),
  enabled: z.boolean().optional().openapi({ example: true }),
};

/** An inbound provider webhook endpoint (DESIGN §7). */
const WebhookSourceInputSchema = z
  .object({
    ...SourceCommonFields,
    kind: z.literal("webhook").optional().openapi({ description: "webhook (the default), amqp or nats" }),
    verifier: z.enum(VERIFIERS).openapi({ example: "stripe" }),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description:
          "Verifier options. All: toleranceSeconds, eventIdPath, eventTypePath. generic-hmac: header (required), algorithm sha256|sha512, encoding hex|base64, prefix, timestampHeader, signedPayload, eventIdHeader, eventTypeHeader",
        example: { toleranceSeconds: 300 },
      }),
  })
  .strict();

/** A RabbitMQ queue the engine consumes (DESIGN §13). */
const AmqpSourceInputSchema = z
  .object({ ...SourceCommonFields, kind: z.literal("amqp"), ...AmqpSourceFieldsSchema.shape })
  .strict();

/** A NATS JetStream stream the engine consumes through a durable pull consumer (DESIGN §13). */
const NatsSourceInputSchema = z
  .object({ ...SourceCommonFields, kind: z.literal("nats"), ...NatsSourceFieldsSchema.shape })
  .strict();

export const SourceInputSchema = z
  .discriminatedUnion("kind", [WebhookSourceInputSchema, AmqpSourceInputSchema, NatsSourceInputSchema])
  .openapi("SourceInput");

export const SourceSecretMetaSchema = z.object({
  id: z.string().openapi({ example: "sec_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
  name: z.string().openapi({ example: "signingSecret" }),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
});

export const SourceSchema = z
  .object({
    id: z.string().openapi({ example: "src_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    verifier: z.enum(VERIFIERS).nullable().openapi({ description: "Webhook sources; null for broker sources" }),
    config: z.record(z.string(), z.unknown()).openapi({
      description:
        "Webhook: the verifier's options. amqp: url, queue, prefetch, typeHeader; nats: servers, stream, consumer, prefetch, typeHeader",
    }),
    eventName: z.string().nullable(),
    eventMapping: z.record(z.string(), z.string()).nullable(),
    enabled: z.boolean(),
    version: z.number().int(),
    path: z.string().nullable().openapi({
      description: "Webhook sources: give the provider this path on the engine's public URL (null for broker sources)",
      example: "/v1/webhooks/src_01jbz8q4m2v7c1x9r5t3w6y0n4",
    }),
    runtime: SourceRuntimeSchema.nullable().openapi({
      description: "Broker sources: how their consumer is doing (null for webhook sources)",
    }),
    ...AmqpSourceFieldsSchema.partial().shape,
    ...NatsSourceFieldsSchema.partial().shape,
    secrets: z.array(SourceSecretMetaSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Source");

export const SourceIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "src_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
});

export const SourceSecretInputSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "a secret name: letters, digits, _ and -, starting with a letter")
      .openapi({
        description:
          "signingSecret for webhook sources; for broker sources any name their URL refers to as <<secret.name>>",
        example: "signingSecret",
      }),
    value: z.string().min(1).max(4096).openapi({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
    previousSecretTtlSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional()
      .openapi({
        description:
          "How long secrets already active stay valid, so webhooks signed with either are accepted (default 86400; 0 ends them now)",
        example: 86400,
      }),
  })
  .strict()
  .openapi("SourceSecretInput");

export const SourceSecretResultSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    previousSecretsExpireAt: z.string().nullable(),
  })
  .openapi("SourceSecretResult");

export const InboundStatusSchema = z.enum(["RECEIVED", "PROCESSED", "FAILED", "REJECTED"]);

export const InboundWebhookSchema = z
  .object({
    id: z.string().openapi({ example: "whk_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
    sourceId: z.string(),
    providerEventId: z.string().nullable().openapi({ example: "evt_1QWmtN2eZvKYlo2C0ZCcXnYs" }),
    verified: z.boolean(),
    verificationError: z.string().nullable().openapi({ example: null }),
    status: InboundStatusSchema,
    eventId: z.string().nullable().openapi({ description: "The internal event it became" }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .openapi("InboundWebhook");

export const RawInboundWebhookSchema = InboundWebhookSchema.extend({
  headers: z.record(z.string(), z.string()),
  rawBody: z.string(),
}).openapi("RawInboundWebhook");
