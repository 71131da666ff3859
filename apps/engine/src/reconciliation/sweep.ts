import type { ExpectedValue } from "@ib/core/reconciliation";
import { events, execute, expectations, unexpectedEvents } from "@ib/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../context.ts";
import { type Alert, logAlert } from "../observability/alerts.ts";
import { recordExpectationsMissing } from "../observability/metrics.ts";
import { closeExpectation, collect, envelopeOf, logReconciliation, type ReconciliationOutcome } from "./match.ts";

/**
 * The reconciliation sweep, run by every worker process (DESIGN §14):
 *
 * 1. **Early confirmations.** A provider may confirm before the worker committed the delivery's SUCCESS; the
 *    event was then recorded UNEXPECTED (`no_expectation`). An expectation that opened at most
 *    `EARLY_WINDOW` after such an event, with the same connector, event name and key, takes it now.
 * 2. **Expiry.** OPEN expectations past their `dueAt` become MISSING, in batches of one statement each
 *    (`FOR UPDATE SKIP LOCKED`): every row changes state in exactly one process, which alone logs its
 *    alert and counts it, so several processes never alert twice.
 */

/** How long before an expectation opened its confirmation may have arrived. */
export const EARLY_WINDOW_MS = 10 * 60_000;

export interface SweepResult {
  missing: number;
  adopted: number;
}

export async function sweepExpectations(
  ctx: ServiceContext,
  options: { batchSize: number; maxBatches?: number; shouldStop?: () => boolean },
): Promise<SweepResult> {
  const adopted = await adoptEarlyConfirmations(ctx, options.batchSize);
  let missing = 0;
  const maxBatches = options.maxBatches ?? 100;
  for (let batch = 0; batch < maxBatches && !options.shouldStop?.(); batch++) {
    const rows = await expireBatch(ctx, options.batchSize);
    missing += rows;
    if (rows < options.batchSize) break;
  }
  return { missing, adopted };
}

interface ExpiredRow {
  id: string;
  connector_id: string;
  delivery_id: string;
  event_id: string;
  event_name: string;
  key: string | null;
  key_error: string | null;
  opened_at: string | Date;
  due_at: string | Date;
}

async function expireBatch(ctx: ServiceContext, batchSize: number): Promise<number> {
  const rows = await execute<ExpiredRow>(
    ctx.db,
    sql`with due as (
          select id from expectations
          where status = 'OPEN' and due_at <= now()
          order by due_at
          limit ${batchSize}
          for update skip locked
        )
        update expectations e set status = 'MISSING', missing_at = now(), closed_at = now()
        from due where e.id = due.id and e.status = 'OPEN'
        returning e.id, e.connector_id, e.delivery_id, e.event_id, e.event_name, e.key, e.key_error, e.opened_at,
          e.due_at`,
  );
  const perConnector = new Map<string, number>();
  for (const row of rows) {
    perConnector.set(row.connector_id, (perConnector.get(row.connector_id) ?? 0) + 1);
    logAlert(ctx.log, missingAlert(row));
  }
  for (const [connectorId, n] of perConnector) recordExpectationsMissing(ctx.app, connectorId, n);
  return rows.length;
}

function missingAlert(row: ExpiredRow): Alert {
  return {
    alert: "expectation_missing",
    connectorId: row.connector_id,
    expectationId: row.id,
    deliveryId: row.delivery_id,
    eventId: row.event_id,
    eventName: row.event_name,
    key: row.key,
    ...(row.key_error ? { keyError: row.key_error } : {}),
    openedAt: new Date(row.opened_at).toISOString(),
    dueAt: new Date(row.due_at).toISOString(),
  };
}

async function adoptEarlyConfirmations(ctx: ServiceContext, batchSize: number): Promise<number> {
  const candidates = await execute<{ unexpected_id: string; expectation_id: string; event_id: string }>(
    ctx.db,
    sql`select u.id as unexpected_id, e.id as expectation_id, u.event_id
        from unexpected_events u
        join expectations e on e.event_name = u.event_name and e.key = u.key and e.connector_id = u.connector_id
          and e.status = 'OPEN'
          and e.opened_at between u.received_at - interval '1 minute'
                              and u.received_at + ${EARLY_WINDOW_MS} * interval '1 millisecond'
        where u.received_at > now() - ${EARLY_WINDOW_MS * 2} * interval '1 millisecond'
          and u.resolved_at is null and u.reason = 'no_expectation'
        order by u.received_at, e.opened_at
        limit ${batchSize}`,
  );
  let adopted = 0;
  const taken = new Set<string>();
  for (const candidate of candidates) {
    if (taken.has(candidate.expectation_id) || taken.has(candidate.unexpected_id)) continue;
    const outcome = await withTransaction(ctx, (tx) => adoptOne(tx, candidate));
    if (!outcome) continue;
    taken.add(candidate.expectation_id).add(candidate.unexpected_id);
    adopted++;
    logReconciliation(ctx.log, outcome);
  }
  return adopted;
}

async function adoptOne(
  ctx: ServiceContext,
  candidate: { unexpected_id: string; expectation_id: string; event_id: string },
): Promise<ReconciliationOutcome | undefined> {
  const [expectation] = await ctx.db
    .select({
      id: expectations.id,
      status: expectations.status,
      expected: expectations.expected,
      connectorId: expectations.connectorId,
      key: expectations.key,
    })
    .from(expectations)
    .where(and(eq(expectations.id, candidate.expectation_id), eq(expectations.status, "OPEN")))
    .for("update", { skipLocked: true });
  if (!expectation?.key) return undefined;
  const [unexpected] = await ctx.db
    .select({ id: unexpectedEvents.id })
    .from(unexpectedEvents)
    .where(and(eq(unexpectedEvents.id, candidate.unexpected_id), isNull(unexpectedEvents.resolvedAt)))
    .for("update", { skipLocked: true });
  if (!unexpected) return undefined;
  const [event] = await ctx.db.select().from(events).where(eq(events.id, candidate.event_id));
  if (!event) return undefined;
  const closed = await closeExpectation(ctx.db, {
    expectation: { ...expectation, expected: expectation.expected as ExpectedValue[] },
    eventId: event.id,
    envelope: envelopeOf(event, event.receivedAt),
  });
  await ctx.db
    .update(unexpectedEvents)
    .set({ resolvedAt: sql`now()`, expectationId: expectation.id })
    .where(eq(unexpectedEvents.id, unexpected.id));
  const outcome: ReconciliationOutcome = {
    observed: closed.status === "OBSERVED" ? 1 : 0,
    mismatched: closed.status === "MISMATCH" ? 1 : 0,
    late: 0,
    unexpected: 0,
    alerts: [],
    notes: [],
  };
  collect(outcome, closed, { connectorId: expectation.connectorId, key: expectation.key });
  return outcome;
}
