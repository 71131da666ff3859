import { sources } from "@ib/db";
import { eq } from "drizzle-orm";
import type { Actor, AppContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { audit } from "../audit/record-audit.ts";

/** Delete a source with its secrets and stored webhooks; its URL answers 404 from then on. */
export async function deleteSource({
  ctx,
  actor,
  requestId,
  id,
}: {
  ctx: Pick<AppContext, "db">;
  actor: Actor;
  requestId: string | null;
  id: string;
}): Promise<{ id: string; deleted: true }> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(sources).where(eq(sources.id, id)).returning();
    if (!row) throw new NotFound(`Source ${id} does not exist`);
    await audit(tx, {
      actor,
      requestId,
      action: "source.delete",
      target: id,
      details: { name: row.name, verifier: row.verifier },
    });
    return { id, deleted: true as const };
  });
}
