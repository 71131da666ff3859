import { apiTokens } from "@ib/db";
import { eq } from "drizzle-orm";
import { ROLES, type Role } from "../../auth/permissions.ts";
import type { Actor, AppContext } from "../../context.ts";
import { hashToken, sameHash } from "./token-value.ts";

/** The actor a bearer token stands for, or null; answers are cached in `ctx.tokens` for a few seconds. */
export async function authenticateToken(ctx: AppContext, value: string): Promise<Actor | null> {
  const hash = hashToken(value);
  const now = Date.now();
  const cached = ctx.tokens.get(hash, now);
  if (cached !== undefined) return cached;

  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)).limit(1);
  const valid = row && !row.revokedAt && sameHash(row.tokenHash, hash) && ROLES.includes(row.role as Role);
  const actor: Actor | null = valid ? { tokenId: row.id, role: row.role as Role, name: row.name } : null;
  ctx.tokens.set(hash, actor, now);

  if (actor && ctx.tokens.takeLastUsedWrite(actor.tokenId, now)) {
    ctx.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, actor.tokenId))
      .catch((error) => ctx.logger.warn({ err: error }, "could not record token use"));
  }
  return actor;
}
