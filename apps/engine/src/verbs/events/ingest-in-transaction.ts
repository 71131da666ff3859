import { deliveries, events, inChunks, type NewDelivery, rowsPerStatement } from "@ib/db";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { type ReconciliationOutcome, reconcileIncomingEvents } from "../../reconciliation/match.ts";
import {
  answerRepeats,
  deliveriesFor,
  type EventRow,
  firstOccurrences,
  type IngestResult,
  type NewDeliveryRow,
} from "./ingest-rows.ts";
import { loadRoutingSnapshot } from "./routing-cache.ts";

/**
 * The outbox write in one transaction, reading routing inside it: the path for events some connector's
 * `expect` waits for (reconciliation writes in the same transaction as the event) and the fallback when the
 * routing cache cannot settle. Same outcome as the one-statement path (`ingest-one-statement.ts`).
 */
export async function ingestInTransaction({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { rows: EventRow[] };
}): Promise<{ results: IngestResult[]; created: NewDeliveryRow[]; reconciled: ReconciliationOutcome }> {
  const { rows } = input;
  return withTransaction(ctx, async (inTx) => {
    const tx = inTx.db;
    const { toInsert, isFirst } = firstOccurrences(rows);
    // Fan-out multiplies rows (500 events x 45 connectors = 22,500 deliveries): the inserts are split so no
    // statement binds more parameters than the protocol carries; all of them stay in this transaction.
    const insertedChunks = await inChunks(toInsert, rowsPerStatement(events), (chunk) =>
      tx.insert(events).values(chunk).onConflictDoNothing().returning({ id: events.id }),
    );
    const inserted = new Set(insertedChunks.flat().map((r) => r.id));
    // Reconciliation (DESIGN §14): a new event may be the confirmation an expectation waits for.
    const reconciled = await reconcileIncomingEvents(
      tx,
      toInsert.filter((r) => inserted.has(r.id)),
    );

    // Fan out: one delivery per matching connector, routed from what this transaction sees (once per name).
    const routing = toInsert.some((r) => inserted.has(r.id)) ? await loadRoutingSnapshot(tx) : undefined;
    const created: NewDeliveryRow[] = [];
    const out: (IngestResult | undefined)[] = rows.map(() => undefined);
    for (const [i, row] of rows.entries()) {
      if (!routing || !inserted.has(row.id) || !isFirst(i)) continue;
      const routed = routing.route(row);
      const mine = await deliveriesFor(ctx, row, routed);
      created.push(...mine);
      out[i] = {
        id: row.id,
        deliveries: mine.map((d) => ({ id: d.id, connectorId: d.connectorId })),
        duplicate: false,
      };
    }
    const newDeliveries: NewDelivery[] = created.map((d) => ({
      id: d.id,
      connectorId: d.connectorId,
      eventId: d.eventId,
      ...(d.lastError ? { status: "FAILED" as const, lastError: d.lastError, completedAt: new Date() } : {}),
    }));
    await inChunks(newDeliveries, rowsPerStatement(deliveries), (chunk) => tx.insert(deliveries).values(chunk));

    // Repeats: answer with the original event and its deliveries (inside the transaction this also sees
    // events inserted above by an earlier item of the batch).
    return { results: await answerRepeats(tx, rows, out), created, reconciled };
  });
}
