import { z } from "@hono/zod-openapi";
import { ConnectorInputSchema } from "@ib/core/connector-schema";

/** The body of PUT …/connectors: the core schema (shared with the admin UI), named for OpenAPI. */
export const ConnectorInput = ConnectorInputSchema;

export { ConnectorSchema, SecretNameSchema } from "@ib/core/contracts/connector";

export const ConnectorIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
});
