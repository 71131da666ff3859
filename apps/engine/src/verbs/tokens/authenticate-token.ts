import { apiTokens } from "@ib/db";
import { eq } from "drizzle-orm";
import { ROLES, type Role } from "../../auth/permissions.ts";
import type { Actor, AppContext } from "../../context.ts";
import { hashToken, sameHash } from "./token-value.ts";

// A short cache keeps token checks off the database on the ingest hot path. Revocation in this
// process takes effect at once (forgetToken); in other processes within CACHE_MS.
const CACHE_MS = 5_000;
const LAST_USED_EVERY_MS = 60_000;
const cache = new Map<string, { actor: Actor | null; expires: number }>();
const lastUsedWritten = new Map<string, number>();

export function forgetToken(tokenHash: string) {
  cache.delete(tokenHash);
}

export async function authenticateToken(ctx: AppContext, value: string): Promise<Actor | null> {
  const hash = hashToken(value);
  const now = Date.now();
  const cached = cache.get(hash);
  if (cached && cached.expires > now) return cached.actor;

  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)).limit(1);
  const valid = row && !row.revokedAt && sameHash(row.tokenHash, hash) && ROLES.includes(row.role as Role);
  const actor: Actor | null = valid ? { tokenId: row.id, role: row.role as Role, name: row.name } : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { actor, expires: now + CACHE_MS });

  if (actor && (lastUsedWritten.get(actor.tokenId) ?? 0) < now - LAST_USED_EVERY_MS) {
    lastUsedWritten.set(actor.tokenId, now);
    ctx.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, actor.tokenId))
      .catch((error) => ctx.logger.warn({ err: error }, "could not record token use"));
  }
  return actor;
}
