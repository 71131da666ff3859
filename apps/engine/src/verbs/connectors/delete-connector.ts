import { newId } from "@ib/core";
import { connectors, secretAudit } from "@ib/db";
import { eq } from "drizzle-orm";
import type { Actor, AppContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { audit } from "../audit/record-audit.ts";
import { connectorSecretProvider } from "../secrets/provider.ts";
import { auditSnapshot, diff, type PublicConnector, publicConnector, secretNamesOf } from "./connector-view.ts";

/**
 * Delete a connector. Its secrets, runtime state and deliveries go with it (foreign keys cascade); the
 * audit log keeps what it was, and `secret_audit` records each secret that was destroyed.
 */
export async function deleteConnector({
  ctx,
  actor,
  requestId,
  id,
}: {
  ctx: Pick<AppContext, "db">;
  actor: Actor;
  requestId: string | null;
  id: string;
}): Promise<PublicConnector> {
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(connectors).where(eq(connectors.id, id)).for("update");
    if (!current) throw new NotFound(`Connector ${id} does not exist`);
    const secrets = (await secretNamesOf(tx, [id])).get(id) ?? [];
    const connector = publicConnector(current, secrets);
    await tx.delete(connectors).where(eq(connectors.id, id));
    for (const secret of secrets) {
      await tx.insert(secretAudit).values({
        id: newId("secret"),
        provider: connectorSecretProvider(id),
        connectorId: id,
        secretName: secret.name,
        action: "delete",
        actorId: actor.tokenId,
        actorRole: actor.role,
        requestId,
      });
    }
    await audit(tx, {
      actor,
      requestId,
      action: "connector.delete",
      target: id,
      details: {
        name: current.name,
        secretsDeleted: secrets.map((s) => s.name),
        changes: diff(auditSnapshot(connector), null),
      },
    });
    return connector;
  });
}
