import type { EventType } from "@ib/core/contracts/catalog";
import { eventTypes } from "@ib/db";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { observedByName, presentEventType } from "./event-type-view.ts";

/** One event type with its schema, sample and how often its name was seen. */
export async function getEventType({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { name: string };
}): Promise<EventType> {
  const [row] = await ctx.db.select().from(eventTypes).where(eq(eventTypes.name, input.name));
  if (!row) throw new NotFound(`No event type ${input.name} in the catalog`);
  return presentEventType(row, (await observedByName(ctx.db, [row.name])).get(row.name));
}
