import { decryptSecret } from "@ib/core";
import { sourceSecrets } from "@ib/db";
import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { sourceSecretAad } from "./source-secrets.ts";

/**
 * The active signing secrets of a source, newest first, decrypted. A row that does not decrypt (a
 * changed master key, a row copied from elsewhere) is skipped and reported, never used.
 */
export async function loadActiveSourceSecrets({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { sourceId: string; name?: string; now?: Date };
}): Promise<{ values: string[]; undecryptable: string[] }> {
  const { sourceId, name = "signingSecret", now = new Date() } = input;
  const rows = await ctx.db
    .select({ id: sourceSecrets.id, ciphertext: sourceSecrets.ciphertext })
    .from(sourceSecrets)
    .where(
      and(
        eq(sourceSecrets.sourceId, sourceId),
        eq(sourceSecrets.name, name),
        or(isNull(sourceSecrets.expiresAt), gt(sourceSecrets.expiresAt, now)),
      ),
    )
    .orderBy(desc(sourceSecrets.createdAt));
  const values: string[] = [];
  const undecryptable: string[] = [];
  for (const row of rows) {
    try {
      values.push(decryptSecret(ctx.app.masterKey, row.ciphertext, sourceSecretAad(sourceId, row.id)));
    } catch {
      undecryptable.push(row.id);
    }
  }
  return { values, undecryptable };
}

/**
 * A broker source's credentials: every active secret of the source by name, the newest of each name, for
 * `<<secret.name>>` in its URL / servers. A row that does not decrypt is skipped (and reported by name).
 */
export async function loadSourceCredentials({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { sourceId: string; now?: Date };
}): Promise<{ secrets: Record<string, string>; undecryptable: string[] }> {
  const { sourceId, now = new Date() } = input;
  const rows = await ctx.db
    .select({ id: sourceSecrets.id, name: sourceSecrets.name, ciphertext: sourceSecrets.ciphertext })
    .from(sourceSecrets)
    .where(
      and(eq(sourceSecrets.sourceId, sourceId), or(isNull(sourceSecrets.expiresAt), gt(sourceSecrets.expiresAt, now))),
    )
    .orderBy(desc(sourceSecrets.createdAt));
  const secrets: Record<string, string> = {};
  const undecryptable: string[] = [];
  for (const row of rows) {
    if (Object.hasOwn(secrets, row.name)) continue;
    try {
      secrets[row.name] = decryptSecret(ctx.app.masterKey, row.ciphertext, sourceSecretAad(sourceId, row.id));
    } catch {
      undecryptable.push(row.name);
    }
  }
  return { secrets, undecryptable };
}
