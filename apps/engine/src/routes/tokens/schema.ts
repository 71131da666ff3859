import { z } from "@hono/zod-openapi";
import { ROLES } from "../../auth/permissions.ts";

export const TokenSchema = z
  .object({
    id: z.string().openapi({ example: "tok_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    name: z.string(),
    role: z.string(),
    prefix: z.string().openapi({ description: "The first characters of the token, to recognise it" }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("Token");

export const CreateTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "orders-service ingest" }),
    role: z.enum(ROLES).openapi({ example: "ingest" }),
  })
  .strict()
  .openapi("CreateToken");

export const CreatedTokenSchema = z
  .object({
    token: TokenSchema,
    value: z.string().openapi({ description: "The token itself. Shown this once; only its hash is stored." }),
  })
  .openapi("CreatedToken");

export const TokenIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});
