import type { Actor } from "../../context.ts";

// Short enough that a revocation made by another process takes effect within it.
const CACHE_MS = 5_000;
const LAST_USED_EVERY_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Keeps token checks off the database on the ingest hot path. One per app context (built by
 * `createContext`), so two engines in one process never share answers. Revocation in this process takes
 * effect at once (`forget`); in other processes within CACHE_MS.
 */
export class TokenCache {
  private readonly answers = new Map<string, { actor: Actor | null; expires: number }>();
  private readonly lastUsedWritten = new Map<string, number>();

  get(tokenHash: string, now: number): Actor | null | undefined {
    const hit = this.answers.get(tokenHash);
    return hit && hit.expires > now ? hit.actor : undefined;
  }

  set(tokenHash: string, actor: Actor | null, now: number): void {
    if (this.answers.size >= MAX_ENTRIES) this.answers.clear();
    this.answers.set(tokenHash, { actor, expires: now + CACHE_MS });
  }

  forget(tokenHash: string): void {
    this.answers.delete(tokenHash);
  }

  /** Whether `lastUsedAt` of this token is due to be written again (at most once a minute per process). */
  takeLastUsedWrite(tokenId: string, now: number): boolean {
    if ((this.lastUsedWritten.get(tokenId) ?? 0) >= now - LAST_USED_EVERY_MS) return false;
    if (this.lastUsedWritten.size >= MAX_ENTRIES) this.lastUsedWritten.clear();
    this.lastUsedWritten.set(tokenId, now);
    return true;
  }
}
