import { z } from "zod";
import { CONNECTOR_LIMITS } from "../connector-schema.ts";

/** The provider registry (country + provider type → connector): its input and entries. */

const int = (range: { min: number; max: number }) => z.number().int().min(range.min).max(range.max);

export const CountrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 country code in capitals, e.g. BR")
  .meta({ example: "BR" });
export const ProviderTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,49}$/, "a provider type in lower case, e.g. payments")
  .meta({ example: "payments" });

export const RegistryOverridesSchema = z
  .object({
    timeoutMs: int(CONNECTOR_LIMITS.timeoutMs).optional(),
    rateLimitPerSecond: z
      .number()
      .min(CONNECTOR_LIMITS.rateLimitPerSecond.min)
      .max(CONNECTOR_LIMITS.rateLimitPerSecond.max)
      .nullable()
      .optional(),
    retryMaxAttempts: int(CONNECTOR_LIMITS.retryMaxAttempts).optional(),
    retryBackoffBaseMs: int(CONNECTOR_LIMITS.retryBackoffBaseMs).optional(),
    retryBackoffMaxMs: int(CONNECTOR_LIMITS.retryBackoffMaxMs).optional(),
  })
  .strict()
  .meta({
    id: "RegistryOverrides",
    description: "Applied over the connector's own policy for deliveries routed through this entry",
    example: { timeoutMs: 5000, rateLimitPerSecond: 20, retryMaxAttempts: 8 },
  });

export const RegistryInputSchema = z
  .object({
    country: CountrySchema,
    providerType: ProviderTypeSchema,
    connectorId: z.string().min(1).max(100).meta({ example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    active: z
      .boolean()
      .optional()
      .meta({ description: "true: make this THE provider for the pair (the previous one is deactivated)" }),
    overrides: RegistryOverridesSchema.optional(),
  })
  .strict()
  .meta({ id: "RegistryEntryInput" });

export const RegistryEntrySchema = z
  .object({
    id: z.string().meta({ example: "reg_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    country: z.string(),
    providerType: z.string(),
    connectorId: z.string(),
    connectorName: z.string().nullable(),
    connectorEnabled: z.boolean().nullable(),
    active: z.boolean(),
    overrides: RegistryOverridesSchema,
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "RegistryEntry" });
export type RegistryOverrides = z.infer<typeof RegistryOverridesSchema>;
export type RegistryInput = z.infer<typeof RegistryInputSchema>;
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;
