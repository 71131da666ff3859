import { z } from "zod";
import { isValidEventName } from "../event-match.ts";
import { AmqpSourceFieldsSchema, NatsSourceFieldsSchema, SOURCE_KINDS, SourceRuntimeSchema } from "./broker.ts";

/**
 * Inbound sources (DESIGN §7, §13) as the engine takes and answers with them: a provider's webhook endpoint,
 * or a RabbitMQ / NATS queue the engine consumes. The verifiers are implemented in `@ib/providers`; their
 * names live here so the shapes do not depend on the implementations.
 */

/** Inbound webhook signature schemes a webhook source can use. */
export const VERIFIERS = ["stripe", "github", "standard-webhooks", "shopify", "generic-hmac"] as const;
export type VerifierName = (typeof VERIFIERS)[number];

const eventName = z.string().refine(isValidEventName, "an event name such as payment.confirmed");

const SourceCommonFields = {
  id: z.string().min(1).max(100).optional().meta({ description: "Set to update that source; omit to create one" }),
  version: z.number().int().min(1).optional().meta({ description: "The version you read; stale → 409" }),
  name: z.string().trim().min(1).max(200).meta({ example: "Stripe payments" }),
  eventName: eventName.nullable().optional().meta({
    description: "Every verified webhook (or broker message) becomes this event (unless eventMapping names another)",
    example: "stripe.event",
  }),
  eventMapping: z
    .record(z.string().min(1).max(200), eventName)
    .refine((m) => Object.keys(m).length <= 200, "at most 200 entries")
    .nullable()
    .optional()
    .meta({
      description:
        "Provider event type (webhooks) or routing key / subject (brokers) → internal event name. Keys are exact, a trailing wildcard (charge.*) or *. Types not matched fall back to eventName, or are ignored (webhooks) / refused (brokers)",
      example: { "payment_intent.succeeded": "payment.confirmed", "charge.refunded": "payment.refunded" },
    }),
  enabled: z.boolean().optional().meta({ example: true }),
};

/** An inbound provider webhook endpoint (DESIGN §7). */
const WebhookSourceInputSchema = z
  .object({
    ...SourceCommonFields,
    kind: z.literal("webhook").optional().meta({ description: "webhook (the default), amqp or nats" }),
    verifier: z.enum(VERIFIERS).meta({ example: "stripe" }),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
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
  .meta({ id: "SourceInput" });

export const SourceSecretMetaSchema = z.object({
  id: z.string().meta({ example: "sec_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
  name: z.string().meta({ example: "signingSecret" }),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
});

export const SourceSchema = z
  .object({
    id: z.string().meta({ example: "src_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    verifier: z.enum(VERIFIERS).nullable().meta({ description: "Webhook sources; null for broker sources" }),
    config: z.record(z.string(), z.unknown()).meta({
      description:
        "Webhook: the verifier's options. amqp: url, queue, prefetch, typeHeader; nats: servers, stream, consumer, prefetch, typeHeader",
    }),
    eventName: z.string().nullable(),
    eventMapping: z.record(z.string(), z.string()).nullable(),
    enabled: z.boolean(),
    version: z.number().int(),
    path: z.string().nullable().meta({
      description: "Webhook sources: give the provider this path on the engine's public URL (null for broker sources)",
      example: "/v1/webhooks/src_01jbz8q4m2v7c1x9r5t3w6y0n4",
    }),
    runtime: SourceRuntimeSchema.nullable().meta({
      description: "Broker sources: how their consumer is doing (null for webhook sources)",
    }),
    ...AmqpSourceFieldsSchema.partial().shape,
    ...NatsSourceFieldsSchema.partial().shape,
    secrets: z.array(SourceSecretMetaSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Source" });

export const SourceSecretInputSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "a secret name: letters, digits, _ and -, starting with a letter")
      .meta({
        description:
          "signingSecret for webhook sources; for broker sources any name their URL refers to as <<secret.name>>",
        example: "signingSecret",
      }),
    value: z.string().min(1).max(4096).meta({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
    previousSecretTtlSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional()
      .meta({
        description:
          "How long secrets already active stay valid, so webhooks signed with either are accepted (default 86400; 0 ends them now)",
        example: 86400,
      }),
  })
  .strict()
  .meta({ id: "SourceSecretInput" });

export const SourceSecretResultSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    previousSecretsExpireAt: z.string().nullable(),
  })
  .meta({ id: "SourceSecretResult" });

export const INBOUND_STATUSES = ["RECEIVED", "PROCESSED", "FAILED", "REJECTED"] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
export const InboundStatusSchema = z.enum(INBOUND_STATUSES);

export const InboundWebhookSchema = z
  .object({
    id: z.string().meta({ example: "whk_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
    sourceId: z.string(),
    providerEventId: z.string().nullable().meta({ example: "evt_1QWmtN2eZvKYlo2C0ZCcXnYs" }),
    verified: z.boolean(),
    verificationError: z.string().nullable().meta({ example: null }),
    status: InboundStatusSchema,
    eventId: z.string().nullable().meta({ description: "The internal event it became" }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .meta({ id: "InboundWebhook" });

export const RawInboundWebhookSchema = InboundWebhookSchema.extend({
  headers: z.record(z.string(), z.string()),
  rawBody: z.string(),
}).meta({ id: "RawInboundWebhook" });

export type SourceInput = z.infer<typeof SourceInputSchema>;
export type Source = z.infer<typeof SourceSchema>;
export type SourceSecretInput = z.infer<typeof SourceSecretInputSchema>;
export type InboundWebhook = z.infer<typeof InboundWebhookSchema>;
export type RawInboundWebhook = z.infer<typeof RawInboundWebhookSchema>;
