import { encryptSecret, newId } from "@ib/core";
import { connectorSecrets, connectors, secretAudit } from "@ib/db";
import { SIGNING_SECRET_HINT, signingSecretProblem } from "@ib/providers/signing-secret";
import { and, eq } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Invalid, NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { connectorSecretAad, connectorSecretProvider } from "./provider.ts";

/**
 * Create or rotate a connector's secret, encrypted with AES-256-GCM under the master key. The value is
 * never returned, logged or written anywhere but the ciphertext column; the audit log and `secret_audit`
 * record only the name and who changed it.
 */
export async function setConnectorSecret({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string; name: string; value: string };
}): Promise<{ name: string; updatedAt: string; rotated: boolean }> {
  const { connectorId, name, value } = input;
  // `signingSecret` signs outbound requests per Standard Webhooks, so it must be a key the signer takes
  // (the same rule the admin's hint and Generate button follow).
  const problem = name === "signingSecret" ? signingSecretProblem(value) : null;
  if (problem) throw new Invalid(`signingSecret ${problem} (${SIGNING_SECRET_HINT})`);
  const ciphertext = encryptSecret(ctx.app.masterKey, value, connectorSecretAad(connectorId, name));
  return withTransaction(ctx, async (tx) => {
    const [connector] = await tx.db
      .select({ id: connectors.id })
      .from(connectors)
      .where(eq(connectors.id, connectorId))
      .for("update");
    if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
    const now = new Date();
    const [existing] = await tx.db
      .select({ id: connectorSecrets.id })
      .from(connectorSecrets)
      .where(and(eq(connectorSecrets.connectorId, connectorId), eq(connectorSecrets.name, name)));
    if (existing) {
      await tx.db
        .update(connectorSecrets)
        .set({ ciphertext, rotatedAt: now })
        .where(eq(connectorSecrets.id, existing.id));
    } else {
      await tx.db
        .insert(connectorSecrets)
        .values({ id: newId("secret"), connectorId, name, ciphertext, createdAt: now });
    }
    const action = existing ? "rotate" : "create";
    await tx.db.insert(secretAudit).values({
      id: newId("secret"),
      provider: connectorSecretProvider(connectorId),
      connectorId,
      secretName: name,
      action,
      actorId: tx.actor.tokenId,
      actorRole: tx.actor.role,
      requestId: tx.requestId,
      at: now,
    });
    await recordAudit({
      ctx: tx,
      input: {
        action: `connector.secret.${action}`,
        target: connectorId,
        details: { provider: connectorSecretProvider(connectorId), secret: name },
      },
    });
    return { name, updatedAt: now.toISOString(), rotated: Boolean(existing) };
  });
}
