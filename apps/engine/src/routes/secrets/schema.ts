import { z } from "@hono/zod-openapi";
import { SECRET_NAME_RE } from "@ib/core/mapping";

export const SECRET_VALUE_MAX = 16 * 1024;

export const SetSecretSchema = z
  .object({
    name: z
      .string()
      .regex(SECRET_NAME_RE, "a secret name: letters, digits, _ and -, starting with a letter (max 64)")
      .openapi({ example: "apiKey", description: "Referred to as <<secret.apiKey>> in the connector" }),
    value: z
      .string()
      .min(1)
      .max(SECRET_VALUE_MAX)
      .openapi({ example: "sk_live_…", description: "Encrypted at rest; never returned by any route" }),
  })
  .strict()
  .openapi("SetSecret");

export const SecretSetSchema = z
  .object({
    name: z.string().openapi({ example: "apiKey" }),
    updatedAt: z.string().openapi({ example: "2026-01-01T12:00:00.000Z" }),
    rotated: z.boolean().openapi({ description: "true when an existing value was replaced" }),
  })
  .openapi("SecretSet");

export const SecretParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
  name: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "name", in: "path" }, example: "apiKey" }),
});
