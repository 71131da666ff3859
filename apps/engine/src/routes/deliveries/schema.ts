import { z } from "@hono/zod-openapi";

export { AttemptSchema, DeliverySchema } from "@ib/core/contracts/delivery";

export const ConnectorIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "con_01j9z3kq0a7w2e5r8t1y4u6i9o" }),
});

export const DeliveryIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "dlv_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
});
