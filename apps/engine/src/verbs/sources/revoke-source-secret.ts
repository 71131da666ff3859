import { newId } from "@ib/core";
import { secretAudit, sourceSecrets } from "@ib/db";
import { and, eq } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { sourceSecretProvider } from "./source-secrets.ts";

/** Remove one signing secret at once (e.g. it leaked): webhooks signed with it get 401 from now on. */
export async function revokeSourceSecret({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { sourceId: string; secretId: string };
}) {
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .delete(sourceSecrets)
      .where(and(eq(sourceSecrets.sourceId, input.sourceId), eq(sourceSecrets.id, input.secretId)))
      .returning({ id: sourceSecrets.id, name: sourceSecrets.name });
    if (!row) throw new NotFound(`Source ${input.sourceId} has no secret ${input.secretId}`);
    await tx.db.insert(secretAudit).values({
      id: newId("secret"),
      provider: sourceSecretProvider(input.sourceId),
      secretName: row.name,
      action: "delete",
      actorId: tx.actor.tokenId,
      actorRole: tx.actor.role,
      requestId: tx.requestId,
    });
    await recordAudit({
      ctx: tx,
      input: {
        action: "source.secret.delete",
        target: input.sourceId,
        details: { provider: sourceSecretProvider(input.sourceId), secret: row.name, secretId: row.id },
      },
    });
    return { id: row.id, deleted: true as const };
  });
}
