import type { EventType } from "@ib/core/contracts/catalog";
import { eventTypes } from "@ib/db";
import { eq } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { announceCatalogChange } from "../catalog/check-event-schema.ts";
import { auditSnapshot, presentEventType } from "./event-type-view.ts";

/** Remove a type from the catalog (its events stay; ingest stops checking the name). Audited. */
export async function deleteEventType({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { name: string };
}): Promise<EventType> {
  const row = await withTransaction(ctx, async (tx) => {
    const [gone] = await tx.db.delete(eventTypes).where(eq(eventTypes.name, input.name)).returning();
    if (!gone) throw new NotFound(`No event type ${input.name} in the catalog`);
    await recordAudit({
      ctx: tx,
      input: {
        action: "event_type.delete",
        target: gone.name,
        details: { version: gone.version, ...auditSnapshot(gone) },
      },
    });
    return gone;
  });
  await announceCatalogChange(ctx, row.name);
  return presentEventType(row);
}
