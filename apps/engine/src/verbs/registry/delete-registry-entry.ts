import { integrationRegistry } from "@ib/db";
import { eq } from "drizzle-orm";
import type { Actor, AppContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { audit } from "../audit/record-audit.ts";

/** Remove a connector from the registry; if it was active, its pair has no provider until one is activated. */
export async function deleteRegistryEntry({
  ctx,
  actor,
  requestId,
  id,
}: {
  ctx: Pick<AppContext, "db">;
  actor: Actor;
  requestId: string | null;
  id: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(integrationRegistry).where(eq(integrationRegistry.id, id)).returning();
    if (!row) throw new NotFound(`Registry entry ${id} does not exist`);
    await audit(tx, {
      actor,
      requestId,
      action: "registry.delete",
      target: `${row.country}/${row.providerType}`,
      details: { entryId: id, connectorId: row.connectorId, wasActive: row.active },
    });
    return { id, deleted: true as const };
  });
}
