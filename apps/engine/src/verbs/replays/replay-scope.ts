import type { Executor } from "@ib/db";
import { deliveries, events } from "@ib/db";
import { and, asc, eq, gt, gte, like, lt, or, type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { type SelectedConnector, takenByFilters } from "../events/select-connectors-for-event.ts";

/** Events per page: each page is one short read and one short transaction of inserts. */
export const REPLAY_PAGE_SIZE = 500;

/** What a replay takes: the connector's `sourceEvent` and `filter` as they were when it was asked for. */
export interface ReplayScope {
  /** Keys the compiled filter: the connector's id and version for a plan, the replay's id (version 0) for a run. */
  filterKey: { id: string; version: number };
  connectorId: string;
  sourceEvent: string;
  filter: Record<string, unknown> | null;
  from: Date;
  to: Date;
  eventName: string | null;
  eventId: string | null;
  onlyUndelivered: boolean;
}

export interface ReplayCursor {
  at: Date;
  id: string;
}

export interface ReplayPage {
  /** Events read (in the range, with a name the connector takes). */
  scanned: number;
  /** The events to deliver; `failure` when the filter could not be evaluated (the delivery is FAILED, as at ingest). */
  taken: { eventId: string; failure?: string }[];
  /** Where the next page starts; null when this was the last one. */
  next: ReplayCursor | null;
}

/** The stored events in the scope, as SQL (everything but the filter, which runs in the engine). */
export function scopeWhere(scope: ReplayScope): SQL {
  const where: SQL[] = [gte(events.receivedAt, scope.from), lt(events.receivedAt, scope.to)];
  if (scope.sourceEvent.endsWith(".*")) {
    where.push(like(events.name, `${escapeLike(scope.sourceEvent.slice(0, -1))}%`));
  } else if (scope.sourceEvent !== "*") {
    where.push(eq(events.name, scope.sourceEvent));
  }
  if (scope.eventName) where.push(eq(events.name, scope.eventName));
  if (scope.eventId) where.push(eq(events.id, scope.eventId));
  if (scope.onlyUndelivered) {
    where.push(
      sql`not exists (select 1 from ${deliveries} where ${deliveries.eventId} = ${events.id} and ${deliveries.connectorId} = ${scope.connectorId})`,
    );
  }
  return and(...where) as SQL;
}

/**
 * One page of the scope after `cursor`, in (receivedAt, id) order, with the connector's filter applied
 * exactly as at ingest (`takenByFilters`, compiled once per scope). Registry routing is not applied: a
 * replay goes to the connector it names.
 */
export async function scanReplayPage({
  ctx,
  db,
  scope,
  cursor,
  limit = REPLAY_PAGE_SIZE,
}: {
  ctx: ServiceContext;
  db: Executor;
  scope: ReplayScope;
  cursor: ReplayCursor | null;
  limit?: number;
}): Promise<ReplayPage> {
  const where = [scopeWhere(scope)];
  if (cursor) {
    where.push(or(gt(events.receivedAt, cursor.at), and(eq(events.receivedAt, cursor.at), gt(events.id, cursor.id)))!);
  }
  const rows = await db
    .select({
      id: events.id,
      name: events.name,
      source: events.source,
      payload: events.payload,
      attributes: events.attributes,
      receivedAt: events.receivedAt,
    })
    .from(events)
    .where(and(...where))
    .orderBy(asc(events.receivedAt), asc(events.id))
    .limit(limit);

  const connector: SelectedConnector = { ...scope.filterKey, tags: {}, filter: scope.filter };
  const taken: ReplayPage["taken"] = [];
  for (const row of rows) {
    const [kept] = await takenByFilters({ compiled: ctx.app.compiled, connectors: [connector], event: row });
    if (kept) taken.push(kept.failure ? { eventId: row.id, failure: kept.failure } : { eventId: row.id });
  }
  const last = rows[rows.length - 1];
  return {
    scanned: rows.length,
    taken,
    next: rows.length === limit && last ? { at: last.receivedAt, id: last.id } : null,
  };
}

/** Counts the scope page by page: the events it holds and the deliveries a run would create. */
export async function countScope({ ctx, scope }: { ctx: ServiceContext; scope: ReplayScope }) {
  let events = 0;
  let deliveries = 0;
  let cursor: ReplayCursor | null = null;
  do {
    const page: ReplayPage = await scanReplayPage({ ctx, db: ctx.db, scope, cursor });
    events += page.scanned;
    deliveries += page.taken.length;
    cursor = page.next;
    // Let other requests in between pages.
    if (cursor) await new Promise((resolve) => setImmediate(resolve));
  } while (cursor);
  return { events, deliveries };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
