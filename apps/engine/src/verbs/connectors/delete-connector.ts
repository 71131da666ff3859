import { newId } from "@ib/core";
import { connectors, secretAudit } from "@ib/db";
import { eq } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { connectorSecretProvider } from "../secrets/provider.ts";
import { auditSnapshot, diff, type PublicConnector, publicConnector, secretNamesOf } from "./connector-view.ts";

/**
 * Delete a connector. Its secrets, runtime state and deliveries go with it (foreign keys cascade); the
 * audit log keeps what it was, and `secret_audit` records each secret that was destroyed.
 */
export async function deleteConnector({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string };
}): Promise<PublicConnector> {
  const { id } = input;
  return withTransaction(ctx, async (tx) => {
    const [current] = await tx.db.select().from(connectors).where(eq(connectors.id, id)).for("update");
    if (!current) throw new NotFound(`Connector ${id} does not exist`);
    const secrets = (await secretNamesOf(tx.db, [id])).get(id) ?? [];
    const connector = publicConnector(current, secrets);
    await tx.db.delete(connectors).where(eq(connectors.id, id));
    for (const secret of secrets) {
      await tx.db.insert(secretAudit).values({
        id: newId("secret"),
        provider: connectorSecretProvider(id),
        connectorId: id,
        secretName: secret.name,
        action: "delete",
        actorId: tx.actor.tokenId,
        actorRole: tx.actor.role,
        requestId: tx.requestId,
      });
    }
    await recordAudit({
      ctx: tx,
      input: {
        action: "connector.delete",
        target: id,
        details: {
          name: current.name,
          secretsDeleted: secrets.map((s) => s.name),
          changes: diff(auditSnapshot(connector), null),
        },
      },
    });
    return connector;
  });
}
