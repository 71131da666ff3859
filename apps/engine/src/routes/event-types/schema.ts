import { z } from "@hono/zod-openapi";

export {
  EventTypeInputSchema,
  EventTypeListSchema,
  EventTypeSchema,
  InferredEventTypeSchema,
} from "@ib/core/contracts/catalog";

export const EventTypeNameParam = z.object({
  name: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "name", in: "path" }, example: "order.created" }),
});
