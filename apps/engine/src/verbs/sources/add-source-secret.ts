import { encryptSecret, newId } from "@ib/core";
import { secretAudit, sourceSecrets, sources } from "@ib/db";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Invalid, NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { DEFAULT_ROTATION_OVERLAP_SECONDS, sourceSecretAad, sourceSecretProvider } from "./source-secrets.ts";

export interface AddSourceSecretInput {
  sourceId: string;
  name: string;
  value: string;
  /**
   * How long the secrets already active stay valid (seconds). During that overlap a webhook signed with
   * either the old or the new secret is accepted; 0 ends the old ones at once.
   */
  previousSecretTtlSeconds?: number;
}

/**
 * Add a secret to a source (the first one, or a rotation): a webhook source's `signingSecret`, or a broker
 * source's credential that its URL refers to as `<<secret.name>>` (the newest of a name is used). The value is encrypted with AES-256-GCM
 * under the master key (AAD `<sourceId>:<secretId>`) and never returned or logged.
 */
export async function addSourceSecret({ ctx, input }: { ctx: ServiceContext; input: AddSourceSecretInput }) {
  const id = newId("secret");
  const ciphertext = encryptSecret(ctx.app.masterKey, input.value, sourceSecretAad(input.sourceId, id));
  const overlap = input.previousSecretTtlSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS;
  return withTransaction(ctx, async (tx) => {
    const [source] = await tx.db
      .select({ id: sources.id, kind: sources.kind })
      .from(sources)
      .where(eq(sources.id, input.sourceId))
      .for("update");
    if (!source) throw new NotFound(`Source ${input.sourceId} does not exist`);
    // A webhook source verifies with its signing secret only; a broker source's URL names its own secrets.
    if (source.kind === "webhook" && input.name !== "signingSecret") {
      throw new Invalid(`A webhook source has one kind of secret: signingSecret (not ${input.name})`);
    }
    const now = new Date();
    const previousUntil = new Date(now.getTime() + overlap * 1000);
    // Secrets still active (no expiry, or one later than the overlap) now end with the overlap.
    const shortened = await tx.db
      .update(sourceSecrets)
      .set({ expiresAt: previousUntil })
      .where(
        and(
          eq(sourceSecrets.sourceId, input.sourceId),
          eq(sourceSecrets.name, input.name),
          or(isNull(sourceSecrets.expiresAt), gt(sourceSecrets.expiresAt, previousUntil)),
        ),
      )
      .returning({ id: sourceSecrets.id });
    await tx.db
      .insert(sourceSecrets)
      .values({ id, sourceId: input.sourceId, name: input.name, ciphertext, createdAt: now });
    const action = shortened.length ? "rotate" : "create";
    await tx.db.insert(secretAudit).values({
      id: newId("secret"),
      provider: sourceSecretProvider(input.sourceId),
      secretName: input.name,
      action,
      actorId: tx.actor.tokenId,
      actorRole: tx.actor.role,
      requestId: tx.requestId,
      at: now,
    });
    await recordAudit({
      ctx: tx,
      input: {
        action: `source.secret.${action}`,
        target: input.sourceId,
        details: {
          provider: sourceSecretProvider(input.sourceId),
          secret: input.name,
          secretId: id,
          previousExpireAt: shortened.length ? previousUntil.toISOString() : null,
        },
      },
    });
    return {
      id,
      name: input.name,
      createdAt: now.toISOString(),
      previousSecretsExpireAt: shortened.length ? previousUntil.toISOString() : null,
    };
  });
}
