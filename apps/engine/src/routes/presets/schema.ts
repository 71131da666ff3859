import { z } from "@hono/zod-openapi";

// The preset shapes are a contract shared with the admin (its generated client).
export { CreateFromPresetSchema, PresetSchema } from "@ib/core/contracts/preset";

export const PresetIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "stripe-payment-intent" }),
});
