import { sources } from "@ib/db";
import { eq } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";

/** Delete a source with its secrets and stored webhooks; its URL answers 404 from then on. */
export async function deleteSource({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string };
}): Promise<{ id: string; deleted: true }> {
  const { id } = input;
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.delete(sources).where(eq(sources.id, id)).returning();
    if (!row) throw new NotFound(`Source ${id} does not exist`);
    await recordAudit({
      ctx: tx,
      input: {
        action: "source.delete",
        target: id,
        details: { name: row.name, verifier: row.verifier },
      },
    });
    return { id, deleted: true as const };
  });
}
