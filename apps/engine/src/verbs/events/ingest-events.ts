import type { ServiceContext } from "../../context.ts";
import { recordIngest } from "../../observability/metrics.ts";
import { logReconciliation, type ReconciliationOutcome } from "../../reconciliation/match.ts";
import { ingestInTransaction } from "./ingest-in-transaction.ts";
import { ingestInOneStatement } from "./ingest-one-statement.ts";
import { eventRows, type IngestItem, type IngestResult, type NewDeliveryRow } from "./ingest-rows.ts";

export type { IngestItem, IngestResult } from "./ingest-rows.ts";

/**
 * The outbox write (issue 4 items 2 and 4): each event and one delivery per enabled matching connector,
 * atomically; a repeated id / idempotency key creates nothing and answers with the original event's
 * deliveries. Workers are woken after the commit. No destination is ever called here.
 *
 * One statement when it can (`ingest-one-statement.ts`: routing from the cache, checked current by the same
 * statement); a transaction that reads routing itself when a connector expects one of the events
 * (reconciliation) or the routing kept changing under it.
 */
export async function ingestEvents({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { items: IngestItem[] };
}): Promise<IngestResult[]> {
  if (input.items.length === 0) return [];
  const rows = eventRows(input.items);
  let results: IngestResult[];
  let created: NewDeliveryRow[];
  /** Deliveries left in the queue for a worker to claim (not failed at once, not handed to a local worker). */
  let queued: number;
  let reconciled: ReconciliationOutcome | undefined;
  const fast = await ingestInOneStatement({ ctx, input: { rows } });
  // The one statement sent other processes' NOTIFY itself (at its commit, unless it runs in a caller's transaction).
  const notified = fast !== undefined && ctx.app.dbHandle.driver === "postgres" && ctx.db === ctx.app.db;
  if (fast) ({ results, created, queued } = fast);
  else {
    ({ results, created, reconciled } = await ingestInTransaction({ ctx, input: { rows } }));
    queued = created.filter((d) => d.lastError === null).length;
  }

  for (const d of created) {
    if (d.lastError === null) continue;
    ctx.log.error({ eventId: d.eventId, deliveryId: d.id, connectorId: d.connectorId }, d.lastError);
  }
  if (reconciled) logReconciliation(ctx.log, reconciled);
  const fresh = results.filter((r) => !r.duplicate).length;
  if (queued > 0) ctx.app.wakeWorkers(notified ? "here" : "everywhere");
  if (fresh) recordIngest(ctx.app, { count: fresh });
  if (fresh < results.length) recordIngest(ctx.app, { duplicate: true, count: results.length - fresh });
  return results;
}
