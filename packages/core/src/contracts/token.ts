import { z } from "zod";

/** An API token as the engine lists it (never its value). */
export const TokenSchema = z
  .object({
    id: z.string().meta({ example: "tok_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
    name: z.string(),
    role: z.string(),
    prefix: z.string().meta({ description: "The first characters of the token, to recognise it" }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "Token" });
export type Token = z.infer<typeof TokenSchema>;
