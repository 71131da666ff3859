import { z } from "@hono/zod-openapi";
import { TokenSchema } from "@ib/core/contracts/token";
import { ROLES } from "../../auth/permissions.ts";

export { TokenSchema };

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
