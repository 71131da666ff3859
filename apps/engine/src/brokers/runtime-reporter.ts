import { type Database, sourceRuntime } from "@ib/db";
import { sql } from "drizzle-orm";
import type { Logger } from "../lib/logger.ts";
import type { ConsumerStatus } from "./consumer.ts";

/** How often a consuming process says it is still there; `GET …/sources/:id` calls older reports stale. */
export const RUNTIME_HEARTBEAT_MS = 5_000;
const SOON_MS = 100;

/**
 * Writes what this process's consumers say about their sources to `source_runtime`, so any engine process
 * can answer `GET …/sources/:id` with it: a state change within ~100 ms, the rest (pending count, last
 * message time) at most every few seconds, and every source it consumes at least once per heartbeat.
 */
export class RuntimeReporter {
  private readonly latest = new Map<string, ConsumerStatus>();
  private readonly dirty = new Set<string>();
  private readonly lastState = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private due = 0;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly consumerId: string,
    private readonly log: Logger,
  ) {}

  report(sourceId: string, status: ConsumerStatus): void {
    this.latest.set(sourceId, { ...status });
    this.dirty.add(sourceId);
    const changed = this.lastState.get(sourceId) !== `${status.state}\n${status.error}`;
    this.schedule(changed ? SOON_MS : RUNTIME_HEARTBEAT_MS);
  }

  /** Every source still reported on is written again (the heartbeat). */
  heartbeat(): void {
    for (const id of this.latest.keys()) this.dirty.add(id);
    this.schedule(0);
  }

  /** The source is no longer consumed here: written at once, then forgotten. */
  async forget(sourceId: string, status: ConsumerStatus): Promise<void> {
    this.latest.set(sourceId, { ...status });
    this.dirty.add(sourceId);
    await this.flush();
    this.latest.delete(sourceId);
    this.lastState.delete(sourceId);
  }

  /** The source is no longer consumed here and another process reports on it now: forget it silently. */
  drop(sourceId: string): void {
    this.latest.delete(sourceId);
    this.dirty.delete(sourceId);
    this.lastState.delete(sourceId);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    const ids = [...this.dirty];
    this.dirty.clear();
    if (ids.length === 0) return;
    this.flushing = this.write(ids).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private schedule(ms: number) {
    const due = Date.now() + ms;
    if (this.timer && this.due <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => void this.flush().catch(() => {}), ms);
    this.timer.unref();
  }

  private async write(ids: string[]) {
    const now = new Date();
    const rows = ids.flatMap((sourceId) => {
      const s = this.latest.get(sourceId);
      return s
        ? [
            {
              sourceId,
              state: s.state,
              error: s.error,
              pending: s.pending,
              lastMessageAt: s.lastMessageAt,
              consumer: this.consumerId,
              updatedAt: now,
            },
          ]
        : [];
    });
    for (const row of rows) {
      try {
        await this.db
          .insert(sourceRuntime)
          .values(row)
          .onConflictDoUpdate({
            target: sourceRuntime.sourceId,
            set: {
              state: row.state,
              error: row.error,
              pending: row.pending,
              lastMessageAt: sql`coalesce(${row.lastMessageAt?.toISOString() ?? null}::timestamptz, ${sourceRuntime.lastMessageAt})`,
              consumer: row.consumer,
              updatedAt: row.updatedAt,
            },
          });
        this.lastState.set(row.sourceId, `${row.state}\n${row.error}`);
      } catch (error) {
        // The source was just deleted (its row cascades away), or the database is down: the next report retries.
        this.log.debug({ err: error, sourceId: row.sourceId }, "could not record a broker source's state");
      }
    }
  }
}
