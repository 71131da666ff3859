import type { ReconciliationSummary, StatusCounts } from "@ib/core/contracts/reconciliation";
import { execute } from "@ib/db";
import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";

export interface SummarizeReconciliationInput {
  connectorId?: string;
  /** Expectations opened (unexpected events received) at or after this time; default: all. */
  from?: Date;
  to?: Date;
}

const zero = (): StatusCounts => ({ OPEN: 0, OBSERVED: 0, MISMATCH: 0, MISSING: 0, UNEXPECTED: 0 });
const toIso = (v: Date | string | null | undefined) => (v ? new Date(v).toISOString() : null);

/**
 * Counts per status and connector (UNEXPECTED = unexpected events not taken by a later expectation), the
 * oldest OPEN expectation, and p50/p95 of the time from opening to observation (OBSERVED and MISMATCH).
 */
export async function summarizeReconciliation({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: SummarizeReconciliationInput;
}): Promise<ReconciliationSummary> {
  const range = (column: SQL): SQL => {
    const parts: SQL[] = [sql`true`];
    if (input.connectorId) parts.push(sql`connector_id = ${input.connectorId}`);
    if (input.from) parts.push(sql`${column} >= ${input.from.toISOString()}::timestamptz`);
    if (input.to) parts.push(sql`${column} <= ${input.to.toISOString()}::timestamptz`);
    return sql.join(parts, sql` and `);
  };
  const [counts, unexpected, oldest, timing] = await Promise.all([
    execute<{ connector_id: string; status: string; n: number | string; oldest_open: Date | string | null }>(
      ctx.db,
      sql`select connector_id, status, count(*) as n,
            min(opened_at) filter (where status = 'OPEN') as oldest_open
          from expectations where ${range(sql`opened_at`)}
          group by connector_id, status`,
    ),
    execute<{ connector_id: string; n: number | string }>(
      ctx.db,
      sql`select connector_id, count(*) as n from unexpected_events
          where resolved_at is null and ${range(sql`received_at`)}
          group by connector_id`,
    ),
    execute<{ id: string; connector_id: string; opened_at: Date | string; due_at: Date | string }>(
      ctx.db,
      sql`select id, connector_id, opened_at, due_at from expectations
          where status = 'OPEN' and ${range(sql`opened_at`)}
          order by opened_at, id limit 1`,
    ),
    execute<{ n: number | string; p50: number | string | null; p95: number | string | null }>(
      ctx.db,
      sql`select count(*) as n,
            percentile_cont(0.5) within group (order by extract(epoch from (closed_at - opened_at)) * 1000) as p50,
            percentile_cont(0.95) within group (order by extract(epoch from (closed_at - opened_at)) * 1000) as p95
          from expectations
          where status in ('OBSERVED', 'MISMATCH') and closed_at is not null and ${range(sql`opened_at`)}`,
    ),
  ]);

  const connectorIds = [...new Set([...counts, ...unexpected].map((r) => r.connector_id))];
  const names = connectorIds.length
    ? await execute<{ id: string; name: string }>(
        ctx.db,
        sql`select id, name from connectors where id in (${sql.join(
          connectorIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      )
    : [];
  const nameOf = new Map(names.map((n) => [n.id, n.name]));

  const totals = zero();
  const byConnector = new Map<string, { counts: StatusCounts; oldestOpenAt: string | null }>();
  const entry = (id: string) => {
    const existing = byConnector.get(id);
    if (existing) return existing;
    const created = { counts: zero(), oldestOpenAt: null as string | null };
    byConnector.set(id, created);
    return created;
  };
  for (const row of counts) {
    const status = row.status as keyof StatusCounts;
    const e = entry(row.connector_id);
    e.counts[status] += Number(row.n);
    totals[status] += Number(row.n);
    if (row.oldest_open) e.oldestOpenAt = toIso(row.oldest_open);
  }
  for (const row of unexpected) {
    entry(row.connector_id).counts.UNEXPECTED += Number(row.n);
    totals.UNEXPECTED += Number(row.n);
  }
  const first = oldest[0];
  const t = timing[0];
  const ms = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return {
    totals,
    connectors: [...byConnector.entries()]
      .map(([connectorId, e]) => ({ connectorId, connectorName: nameOf.get(connectorId) ?? null, ...e }))
      .sort(
        (a, b) =>
          b.counts.MISSING - a.counts.MISSING ||
          b.counts.MISMATCH - a.counts.MISMATCH ||
          (a.connectorName ?? "").localeCompare(b.connectorName ?? "") ||
          a.connectorId.localeCompare(b.connectorId),
      ),
    oldestOpen: first
      ? {
          id: first.id,
          connectorId: first.connector_id,
          openedAt: toIso(first.opened_at) as string,
          dueAt: toIso(first.due_at) as string,
        }
      : null,
    timeToObserveMs: { count: Number(t?.n ?? 0), p50: ms(t?.p50), p95: ms(t?.p95) },
  };
}
