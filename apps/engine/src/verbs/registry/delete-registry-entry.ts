import { integrationRegistry } from "@ib/db";
import { eq } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";

/** Remove a connector from the registry; if it was active, its pair has no provider until one is activated. */
export async function deleteRegistryEntry({ ctx, input }: { ctx: ServiceContext; input: { id: string } }) {
  const { id } = input;
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.delete(integrationRegistry).where(eq(integrationRegistry.id, id)).returning();
    if (!row) throw new NotFound(`Registry entry ${id} does not exist`);
    await recordAudit({
      ctx: tx,
      input: {
        action: "registry.delete",
        target: `${row.country}/${row.providerType}`,
        details: { entryId: id, connectorId: row.connectorId, wasActive: row.active },
      },
    });
    return { id, deleted: true as const };
  });
}
