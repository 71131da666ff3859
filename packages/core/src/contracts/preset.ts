import { z } from "zod";
import { ExpectSchema } from "./reconciliation.ts";

/**
 * Presets (ready-made connectors for one provider API) as the engine lists them, and the request that
 * creates a connector from one. The presets themselves are written in `@ib/providers`; the names their
 * shape refers to (provider types, value formats) live here so the shape does not depend on them.
 */

export const PROVIDER_TYPES = ["payments", "messaging", "maps", "storage", "webhook", "broker"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/**
 * Formats the admin checks as you type, with the engine's own rules: `whsec` a Standard Webhooks signing
 * secret, `url` an http:// or https:// URL.
 */
export const VALUE_FORMATS = ["whsec", "url"] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

const ValueFormatSchema = z.enum(VALUE_FORMATS).meta({
  description:
    "whsec: a Standard Webhooks signing secret (whsec_ + base64 of at least 16 bytes); url: an http:// or https:// URL",
});

export const PresetSchema = z
  .object({
    id: z.string().meta({ example: "stripe-payment-intent" }),
    providerType: z.enum(PROVIDER_TYPES).meta({ example: "payments" }),
    provider: z.string().meta({ example: "Stripe" }),
    name: z.string().meta({ example: "Stripe: create a PaymentIntent" }),
    description: z.string(),
    docsUrl: z.string().meta({ example: "https://docs.stripe.com/api/payment_intents/create" }),
    sourceEvent: z.string().meta({ example: "payment.requested" }),
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
      .meta({ description: "HTTP (no type, or http), or a message broker (amqp, nats: DESIGN §13)" }),
    mapping: z.unknown().meta({ description: "The mapping template (null: the event envelope is sent)" }),
    auth: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: "awsSigV4 or basic auth read from secrets" }),
    secrets: z.array(
      z.object({
        name: z.string().meta({ example: "signingSecret" }),
        label: z.string().meta({ description: "What a person calls it", example: "Signing secret" }),
        description: z.string(),
        format: ValueFormatSchema.optional(),
      }),
    ),
    parameters: z.array(
      z.object({
        name: z.string(),
        label: z.string().meta({ example: "Receiver URL" }),
        description: z.string(),
        example: z.string(),
        default: z.string().optional(),
        format: ValueFormatSchema.optional(),
      }),
    ),
    sampleEvent: z.object({ name: z.string(), payload: z.unknown() }),
    expect: ExpectSchema.optional().meta({
      description: "Reconciliation: the provider confirmation each successful call is followed by (DESIGN §14)",
    }),
  })
  .meta({ id: "Preset" });

const stringMap = z.record(z.string().min(1).max(100), z.string().max(8192));

export const CreateFromPresetSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional().meta({ example: "Stripe (BR)" }),
    secrets: stringMap.default({}).meta({
      description: "Every secret the preset lists, by name; stored encrypted, never returned",
      example: { secretKey: "sk_test_51H..." },
    }),
    parameters: stringMap.optional().meta({ description: "Values for the preset's parameters", example: {} }),
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
      .meta({
        description: "Connector fields to change from the preset's (validated like PUT …/connectors)",
        example: { sourceEvent: "order.paid", tags: { country: "BR" }, rateLimitPerSecond: 25 },
      }),
  })
  .strict()
  .meta({ id: "CreateConnectorFromPreset" });

export type PresetView = z.infer<typeof PresetSchema>;
export type CreateFromPreset = z.infer<typeof CreateFromPresetSchema>;
