import type { EventTypeSummary } from "@ib/core/contracts/catalog";
import { eventTypes } from "@ib/db";
import { asc } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { observedByName, observedOnly, summarizeEventType } from "./event-type-view.ts";

/**
 * The catalog: every defined type (without its schema) and every name seen at ingest that has no entry
 * (`defined: false`), each with its count of stored events and last seen time, sorted by name.
 */
export async function listEventTypes({ ctx }: { ctx: ServiceContext }): Promise<{ eventTypes: EventTypeSummary[] }> {
  const [rows, observed] = await Promise.all([
    ctx.db.select().from(eventTypes).orderBy(asc(eventTypes.name)),
    observedByName(ctx.db),
  ]);
  const defined = new Set(rows.map((r) => r.name));
  const list = [
    ...rows.map((r) => summarizeEventType(r, observed.get(r.name))),
    ...[...observed].filter(([name]) => !defined.has(name)).map(([name, o]) => observedOnly(name, o)),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { eventTypes: list };
}
