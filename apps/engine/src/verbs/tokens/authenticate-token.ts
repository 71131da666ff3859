import { apiTokens } from "@ib/db";
import { eq } from "drizzle-orm";
import { ROLES, type Role } from "../../auth/permissions.ts";
import type { Actor, ServiceContext } from "../../context.ts";
import { hashToken, sameHash } from "./token-value.ts";

/**
 * The actor a bearer token stands for, or null; answers are cached in the app's token cache
 * (`ctx.app.tokens`) for a few seconds. Runs before anyone is authenticated, so `ctx` is the engine's.
 */
export async function authenticateToken({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { token: string };
}): Promise<Actor | null> {
  const hash = hashToken(input.token);
  const now = Date.now();
  const cache = ctx.app.tokens;
  const cached = cache.get(hash, now);
  if (cached !== undefined) return cached;
  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)).limit(1);
  const valid = row && !row.revokedAt && sameHash(row.tokenHash, hash) && ROLES.includes(row.role as Role);
  const actor: Actor | null = valid ? { tokenId: row.id, role: row.role as Role, name: row.name } : null;
  cache.set(hash, actor, now);
  if (actor && cache.takeLastUsedWrite(actor.tokenId, now)) {
    ctx.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, actor.tokenId))
      .catch((error) => ctx.log.warn({ err: error }, "could not record token use"));
  }
  return actor;
}
