import { z } from "@hono/zod-openapi";

export { ReplayInputSchema, ReplayPlanSchema, ReplaySchema, ReplayStartedSchema } from "@ib/core/contracts/replay";

export const ReplayIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "rpl_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
});
