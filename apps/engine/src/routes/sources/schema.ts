import { z } from "@hono/zod-openapi";

// The source shapes are a contract shared with the admin (its generated client) and the presets.
export {
  InboundStatusSchema,
  InboundWebhookSchema,
  RawInboundWebhookSchema,
  SourceInputSchema,
  SourceSchema,
  SourceSecretInputSchema,
  SourceSecretMetaSchema,
  SourceSecretResultSchema,
} from "@ib/core/contracts/source";

export const SourceIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "src_01jbz8q4m2v7c1x9r5t3w6y0n4" }),
});
