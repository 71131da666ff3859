import { type AdvisorySession, type DbHandle, openAdvisorySession } from "@ib/db";

/** The first key of every source lock (`pg_try_advisory_lock(int, int)`): "ib" sources. */
const LOCK_CLASS = 0x1b50;

/**
 * Which broker sources this process may consume: exactly one consumer per source across all engine
 * processes (DESIGN §13). On PostgreSQL each source is a session advisory lock on a connection of its
 * own, so a process that dies (even `kill -9`) releases its sources with its connection, and another
 * process takes them over on its next look. `verify()` reports the sources whose lock is gone (that
 * connection dropped and came back as a new session), so their consumers stop at once. PGlite is one
 * process (its data directory is locked), so it simply holds every source.
 *
 * The lock keeps two consumers apart almost always; the event id (the message id) makes a short overlap
 * harmless, since a message ingested twice is the same event.
 */
export interface SourceLeases {
  tryAcquire(sourceId: string): Promise<boolean>;
  release(sourceId: string): Promise<void>;
  /** Sources this process holds but whose lock its session no longer has. */
  verify(): Promise<string[]>;
  close(): Promise<void>;
}

export function sourceLeases(handle: DbHandle): SourceLeases {
  return handle.driver === "postgres" ? new AdvisoryLeases(handle.location as string) : new LocalLeases();
}

class LocalLeases implements SourceLeases {
  async tryAcquire() {
    return true;
  }
  async release() {}
  async verify() {
    return [];
  }
  async close() {}
}

class AdvisoryLeases implements SourceLeases {
  private session: AdvisorySession | undefined;
  private readonly held = new Set<string>();

  constructor(private readonly url: string) {}

  /** Opened on first use: a deployment without broker sources keeps no extra connection. */
  private get db(): AdvisorySession {
    this.session ??= openAdvisorySession(this.url, "ib-engine-source-leases");
    return this.session;
  }

  async tryAcquire(sourceId: string): Promise<boolean> {
    const ok = await this.db.tryLock(LOCK_CLASS, sourceId);
    if (ok) this.held.add(sourceId);
    return ok;
  }

  async release(sourceId: string): Promise<void> {
    if (!this.held.delete(sourceId)) return;
    await this.db.unlock(LOCK_CLASS, sourceId).catch(() => {});
  }

  async verify(): Promise<string[]> {
    if (this.held.size === 0) return [];
    const lost = await this.db.missing(LOCK_CLASS, [...this.held]);
    for (const id of lost) this.held.delete(id);
    return lost;
  }

  async close(): Promise<void> {
    this.held.clear();
    await this.session?.close();
    this.session = undefined;
  }
}
