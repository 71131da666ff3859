import { newId } from "@ib/core";
import { connectorSecrets, connectors, secretAudit } from "@ib/db";
import { and, eq } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { connectorSecretProvider } from "./provider.ts";

/** Destroy one secret of a connector (deliveries that need it will fail with MISSING_SECRET). */
export async function deleteConnectorSecret({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string; name: string };
}): Promise<{ name: string; deletedAt: string }> {
  const { connectorId, name } = input;
  return withTransaction(ctx, async (tx) => {
    const [connector] = await tx.db
      .select({ id: connectors.id })
      .from(connectors)
      .where(eq(connectors.id, connectorId));
    if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
    const deleted = await tx.db
      .delete(connectorSecrets)
      .where(and(eq(connectorSecrets.connectorId, connectorId), eq(connectorSecrets.name, name)))
      .returning({ id: connectorSecrets.id });
    if (deleted.length === 0) throw new NotFound(`Connector ${connectorId} has no secret named ${name}`);
    const now = new Date();
    await tx.db.insert(secretAudit).values({
      id: newId("secret"),
      provider: connectorSecretProvider(connectorId),
      connectorId,
      secretName: name,
      action: "delete",
      actorId: tx.actor.tokenId,
      actorRole: tx.actor.role,
      requestId: tx.requestId,
      at: now,
    });
    await recordAudit({
      ctx: tx,
      input: {
        action: "connector.secret.delete",
        target: connectorId,
        details: { provider: connectorSecretProvider(connectorId), secret: name },
      },
    });
    return { name, deletedAt: now.toISOString() };
  });
}
