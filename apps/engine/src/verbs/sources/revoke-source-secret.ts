import { newId } from "@ib/core";
import { secretAudit, sourceSecrets } from "@ib/db";
import { and, eq } from "drizzle-orm";
import type { Actor, AppContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { audit } from "../audit/record-audit.ts";
import { sourceSecretProvider } from "./source-secrets.ts";

/** Remove one signing secret at once (e.g. it leaked): webhooks signed with it get 401 from now on. */
export async function revokeSourceSecret({
  ctx,
  actor,
  requestId,
  input,
}: {
  ctx: Pick<AppContext, "db">;
  actor: Actor;
  requestId: string | null;
  input: { sourceId: string; secretId: string };
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(sourceSecrets)
      .where(and(eq(sourceSecrets.sourceId, input.sourceId), eq(sourceSecrets.id, input.secretId)))
      .returning({ id: sourceSecrets.id, name: sourceSecrets.name });
    if (!row) throw new NotFound(`Source ${input.sourceId} has no secret ${input.secretId}`);
    await tx.insert(secretAudit).values({
      id: newId("secret"),
      provider: sourceSecretProvider(input.sourceId),
      secretName: row.name,
      action: "delete",
      actorId: actor.tokenId,
      actorRole: actor.role,
      requestId,
    });
    await audit(tx, {
      actor,
      requestId,
      action: "source.secret.delete",
      target: input.sourceId,
      details: { provider: sourceSecretProvider(input.sourceId), secret: row.name, secretId: row.id },
    });
    return { id: row.id, deleted: true as const };
  });
}
