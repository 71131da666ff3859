import type { InferredEventType } from "@ib/core/contracts/catalog";
import { events } from "@ib/db";
import { desc, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { inferJsonSchema } from "../catalog/infer-json-schema.ts";

/** How many of the latest stored payloads a schema is inferred from. */
export const INFER_SAMPLES = 100;

/**
 * "Create from observed": a JSON Schema inferred from the latest stored payloads of a name, with the
 * newest payload as the sample. Nothing is saved: the admin edits it and saves with PUT.
 */
export async function inferEventType({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { name: string };
}): Promise<InferredEventType> {
  const rows = await ctx.db
    .select({ payload: events.payload })
    .from(events)
    .where(eq(events.name, input.name))
    .orderBy(desc(events.receivedAt), desc(events.id))
    .limit(INFER_SAMPLES);
  if (rows.length === 0) throw new NotFound(`No stored event named ${input.name} to infer a schema from`);
  const payloads = rows.map((r) => r.payload ?? null);
  return {
    name: input.name,
    schemaFormat: "json-schema",
    schema: inferJsonSchema(payloads),
    sample: payloads[0],
    samples: payloads.length,
  };
}
