import { z } from "@hono/zod-openapi";
import { ExpectSchema } from "@ib/core/contracts/reconciliation";
import { PROVIDER_TYPES, VALUE_FORMATS } from "@ib/providers/presets";

const ValueFormat = z.enum(VALUE_FORMATS).openapi({
  description:
    "whsec: a Standard Webhooks signing secret (whsec_ + base64 of at least 16 bytes); url: an http:// or https:// URL",
});

export const PresetSchema = z
  .object({
    id: z.string().openapi({ example: "stripe-payment-intent" }),
    providerType: z.enum(PROVIDER_TYPES).openapi({ example: "payments" }),
    provider: z.string().openapi({ example: "Stripe" }),
    name: z.string().openapi({ example: "Stripe: create a PaymentIntent" }),
    description: z.string(),
    docsUrl: z.string().openapi({ example: "https://docs.stripe.com/api/payment_intents/create" }),
    sourceEvent: z.string().openapi({ example: "payment.requested" }),
    destination: z
      .union([
        z.object({
          type: z.literal("http").optional(),
          url: z.string(),
          method: z.string(),
          headers: z.record(z.string(), z.string()).optional(),
          query: z.record(z.string(), z.string()).optional(),
          bodyEncoding: z.string().optional(),
        }),
        z.object({
          type: z.literal("amqp"),
          url: z.string(),
          exchange: z.string(),
          routingKey: z.string(),
          headers: z.record(z.string(), z.string()).optional(),
        }),
        z.object({
          type: z.literal("nats"),
          servers: z.string(),
          subject: z.string(),
          headers: z.record(z.string(), z.string()).optional(),
        }),
      ])
      .openapi({ description: "HTTP (no type, or http), or a message broker (amqp, nats: DESIGN §13)" }),
    mapping: z.unknown().openapi({ description: "The mapping template (null: the event envelope is sent)" }),
    auth: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "awsSigV4 or basic auth read from secrets" }),
    secrets: z.array(
      z.object({
        name: z.string().openapi({ example: "signingSecret" }),
        label: z.string().openapi({ description: "What a person calls it", example: "Signing secret" }),
        description: z.string(),
        format: ValueFormat.optional(),
      }),
    ),
    parameters: z.array(
      z.object({
        name: z.string(),
        label: z.string().openapi({ example: "Receiver URL" }),
        description: z.string(),
        example: z.string(),
        default: z.string().optional(),
        format: ValueFormat.optional(),
      }),
    ),
    sampleEvent: z.object({ name: z.string(), payload: z.unknown() }),
    expect: ExpectSchema.optional().openapi({
      description: "Reconciliation: the provider confirmation each successful call is followed by (DESIGN §14)",
    }),
  })
  .openapi("Preset");

export const PresetIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "stripe-payment-intent" }),
});

const stringMap = z.record(z.string().min(1).max(100), z.string().max(8192));

export const CreateFromPresetSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Stripe (BR)" }),
    secrets: stringMap.default({}).openapi({
      description: "Every secret the preset lists, by name; stored encrypted, never returned",
      example: { secretKey: "sk_test_51H..." },
    }),
    parameters: stringMap.optional().openapi({ description: "Values for the preset's parameters", example: {} }),
    overrides: z
      .object({
        description: z.string().max(2000).nullable().optional(),
        enabled: z.boolean().optional(),
        sourceEvent: z.string().optional(),
        destination: z.record(z.string(), z.unknown()).optional(),
        mapping: z.unknown().optional(),
        timeoutMs: z.number().optional(),
        retryMaxAttempts: z.number().optional(),
        retryBackoffBaseMs: z.number().optional(),
        retryBackoffMaxMs: z.number().optional(),
        circuitFailureThreshold: z.number().optional(),
        circuitCooldownMs: z.number().optional(),
        rateLimitPerSecond: z.number().nullable().optional(),
        maxInFlight: z.number().nullable().optional(),
        tags: z.record(z.string(), z.string()).optional(),
        sampleEvent: z.record(z.string(), z.unknown()).optional(),
        expect: ExpectSchema.nullable().optional(),
      })
      .strict()
      .optional()
      .openapi({
        description: "Connector fields to change from the preset's (validated like PUT …/connectors)",
        example: { sourceEvent: "order.paid", tags: { country: "BR" }, rateLimitPerSecond: 25 },
      }),
  })
  .strict()
  .openapi("CreateConnectorFromPreset");
