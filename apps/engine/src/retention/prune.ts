import { execute } from "@ib/db";
import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";

export interface PruneOptions {
  /** Rows older than this are pruned. */
  cutoff: Date;
  /** Rows per statement: small, so each delete holds its locks for milliseconds. */
  batchSize: number;
  /** Upper bound on statements per run (a backlog is worked off over several runs). */
  maxBatches?: number;
  /** Checked between batches: stop early (shutdown). */
  shouldStop?: () => boolean;
  /** Awaited between batches so deliveries get the database in between. */
  pause?: () => Promise<void>;
}

export interface PruneResult {
  deliveries: number;
  events: number;
  /** Reconciliation expectations closed (OBSERVED, MISMATCH, MISSING) before the cutoff. */
  expectations: number;
  /** UNEXPECTED events recorded before the cutoff. */
  unexpectedEvents: number;
  batches: number;
  /** True when the run stopped at `maxBatches` or on `shouldStop` with work left. */
  incomplete: boolean;
}

/**
 * Delete finished deliveries (SUCCESS, FAILED; their attempts cascade) completed before the cutoff,
 * then events received before it that no delivery references any more, then reconciliation records
 * (DESIGN §14) that aged out: expectations closed (OBSERVED, MISMATCH, MISSING) before the cutoff — an
 * OPEN one is never pruned — and UNEXPECTED events received before it. DLQ, pending, retrying and
 * in-flight deliveries are never touched, and their events stay (deleting an event would cascade
 * to its deliveries). Each batch is one short statement; locked rows are skipped, not waited for.
 */
export async function pruneOldData({ ctx, input }: { ctx: ServiceContext; input: PruneOptions }): Promise<PruneResult> {
  const options = input;
  const result: PruneResult = {
    deliveries: 0,
    events: 0,
    expectations: 0,
    unexpectedEvents: 0,
    batches: 0,
    incomplete: false,
  };
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  const cutoff = options.cutoff.toISOString();
  const limit = options.batchSize;

  const step = async (query: ReturnType<typeof sql>): Promise<number | undefined> => {
    if (options.shouldStop?.() || result.batches >= maxBatches) {
      result.incomplete = true;
      return undefined;
    }
    const rows = await execute<{ n: number | string }>(ctx.db, query);
    result.batches++;
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0 && options.pause) await options.pause();
    return n;
  };

  // Each kind in order, in batches: `doomed` selects (and locks) at most `limit` rows of `table` to delete.
  const kinds: { count: "deliveries" | "events" | "expectations" | "unexpectedEvents"; table: string; doomed: SQL }[] =
    [
      {
        count: "deliveries",
        table: "deliveries",
        doomed: sql`select id from deliveries
        where status in ('SUCCESS', 'FAILED') and completed_at < ${cutoff}::timestamptz`,
      },
      {
        count: "events",
        table: "events",
        doomed: sql`select e.id from events e
        where e.received_at < ${cutoff}::timestamptz
          and not exists (select 1 from deliveries d where d.event_id = e.id)`,
      },
      {
        count: "expectations",
        table: "expectations",
        doomed: sql`select id from expectations where status <> 'OPEN' and closed_at < ${cutoff}::timestamptz`,
      },
      {
        count: "unexpectedEvents",
        table: "unexpected_events",
        doomed: sql`select id from unexpected_events where received_at < ${cutoff}::timestamptz`,
      },
    ];
  for (const kind of kinds) {
    for (;;) {
      const n = await step(sql`
        with doomed as (${kind.doomed} limit ${limit} for update skip locked),
          gone as (delete from ${sql.identifier(kind.table)} t using doomed where t.id = doomed.id returning 1)
        select count(*) as n from gone`);
      if (n === undefined) return result;
      result[kind.count] += n;
      if (n < limit) break;
    }
  }
  return result;
}
