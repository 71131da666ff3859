import type { IncomingEvent } from "@ib/core/cloudevents";
import { newId } from "@ib/core/ids";
import { deliveries, events, inChunks, type NewDelivery, rowsPerStatement } from "@ib/db";
import { inArray } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { recordIngest } from "../../observability/metrics.ts";
import { logReconciliation, type ReconciliationOutcome, reconcileIncomingEvents } from "../../reconciliation/match.ts";
import { catalogColumns } from "../catalog/check-event-schema.ts";
import { registryPairKey } from "../registry/route-by-registry.ts";
import { selectConnectorsForEvent, takenByFilters } from "./select-connectors-for-event.ts";

export interface IngestItem {
  event: IncomingEvent;
  /** `Idempotency-Key` header; the event's own id wins when both are given. */
  idempotencyKey?: string;
  /** The catalog's verdict (`checkEventSchema`): stored as `events.schema_valid`. */
  schemaValid?: boolean | null;
}

export interface IngestResult {
  id: string;
  deliveries: { id: string; connectorId: string }[];
  duplicate: boolean;
}

/**
 * The outbox write (issue 4 items 2 and 4): each event and one delivery per enabled matching connector,
 * all in ONE transaction; a repeated id / idempotency key creates nothing and answers with the original
 * event's deliveries. Workers are woken after the commit. No destination is ever called here.
 */
export async function ingestEvents({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { items: IngestItem[] };
}): Promise<IngestResult[]> {
  const { items } = input;
  if (items.length === 0) return [];
  const rows = items.map(({ event, idempotencyKey, schemaValid }) => {
    const key = event.id ?? idempotencyKey ?? null;
    const attributes = { ...event.attributes };
    if (event.time) attributes.time = event.time;
    return {
      id: event.id ?? newId("event"),
      name: event.name,
      source: event.source ?? null,
      payload: event.payload ?? null,
      attributes,
      idempotencyKey: key,
      ...catalogColumns({ event, schemaValid }),
    };
  });

  let reconciled: ReconciliationOutcome | undefined;
  const results = await withTransaction(ctx, async (inTx) => {
    const tx = inTx.db;
    // A key repeated inside one batch: only its first occurrence is inserted.
    const firstByKey = new Map<string, number>();
    const toInsert: typeof rows = [];
    for (const [i, row] of rows.entries()) {
      if (row.idempotencyKey !== null) {
        if (firstByKey.has(row.idempotencyKey)) continue;
        firstByKey.set(row.idempotencyKey, i);
      }
      toInsert.push(row);
    }
    // Fan-out multiplies rows (500 events x 45 connectors = 22,500 deliveries): the inserts are split so no
    // statement binds more parameters than the protocol carries; all of them stay in this transaction.
    const insertedChunks = await inChunks(toInsert, rowsPerStatement(events), (chunk) =>
      tx.insert(events).values(chunk).onConflictDoNothing().returning({ id: events.id }),
    );
    const inserted = new Set(insertedChunks.flat().map((r) => r.id));
    // Reconciliation (DESIGN §14): a new event may be the confirmation an expectation waits for.
    reconciled = await reconcileIncomingEvents(
      tx,
      toInsert.filter((r) => inserted.has(r.id)),
    );

    // Fan out: one delivery per matching connector, connectors looked up once per event name.
    const byName = new Map<string, Awaited<ReturnType<typeof selectConnectorsForEvent>>>();
    const newDeliveries: NewDelivery[] = [];
    const out: (IngestResult | undefined)[] = rows.map(() => undefined);
    for (const [i, row] of rows.entries()) {
      if (!inserted.has(row.id) || (row.idempotencyKey !== null && firstByKey.get(row.idempotencyKey) !== i)) continue;
      // Registry routing depends on the event's country / providerType too, not only its name.
      const routeKey = `${row.name}\n${registryPairKey(row)}`;
      let selected = byName.get(routeKey);
      if (!selected) {
        selected = await selectConnectorsForEvent({ ctx: inTx, input: { event: row } });
        byName.set(routeKey, selected);
      }
      selected = await takenByFilters({ compiled: ctx.app.compiled, connectors: selected, event: row });
      const created = selected.map((c) => ({ id: newId("delivery"), connectorId: c.id }));
      for (const [k, d] of created.entries()) {
        const failure = selected[k]?.failure;
        newDeliveries.push({
          id: d.id,
          connectorId: d.connectorId,
          eventId: row.id,
          ...(failure ? { status: "FAILED" as const, lastError: failure, completedAt: new Date() } : {}),
        });
        if (failure) ctx.log.error({ eventId: row.id, deliveryId: d.id, connectorId: d.connectorId }, failure);
      }
      out[i] = { id: row.id, deliveries: created, duplicate: false };
    }
    await inChunks(newDeliveries, rowsPerStatement(deliveries), (chunk) => tx.insert(deliveries).values(chunk));

    // Repeats: answer with the original event and its deliveries.
    const repeatedKeys = rows.filter((_, i) => out[i] === undefined).map((r) => r.idempotencyKey as string);
    if (repeatedKeys.length > 0) {
      const originals = await tx
        .select({ id: events.id, key: events.idempotencyKey })
        .from(events)
        .where(inArray(events.idempotencyKey, [...new Set(repeatedKeys)]));
      // Inside the transaction this also sees events inserted above by an earlier item of the batch.
      const idByKey = new Map(originals.map((o) => [o.key, o.id]));
      const ids = [...new Set(idByKey.values())];
      const existing = ids.length
        ? await tx
            .select({ id: deliveries.id, connectorId: deliveries.connectorId, eventId: deliveries.eventId })
            .from(deliveries)
            .where(inArray(deliveries.eventId, ids))
            .orderBy(deliveries.id)
        : [];
      for (const [i, row] of rows.entries()) {
        if (out[i] !== undefined) continue;
        const id = idByKey.get(row.idempotencyKey) ?? row.id;
        const list = existing.filter((d) => d.eventId === id).map((d) => ({ id: d.id, connectorId: d.connectorId }));
        out[i] = { id, deliveries: list, duplicate: true };
      }
    }
    return out as IngestResult[];
  });

  if (reconciled) logReconciliation(ctx.log, reconciled);
  const created = results.filter((r) => !r.duplicate);
  if (created.some((r) => r.deliveries.length > 0)) ctx.app.wakeWorkers();
  if (created.length) recordIngest(ctx.app, { count: created.length });
  if (created.length < results.length)
    recordIngest(ctx.app, { duplicate: true, count: results.length - created.length });
  return results;
}
