import type { IncomingEvent } from "@ib/core/cloudevents";
import { newId } from "@ib/core/ids";
import { deliveries, type Executor, events } from "@ib/db";
import { inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { catalogColumns } from "../catalog/check-event-schema.ts";
import { type SelectedConnector, takenByFilters } from "./select-connectors-for-event.ts";

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

/** An event as the `events` table stores it. */
export interface EventRow {
  id: string;
  name: string;
  source: string | null;
  payload: unknown;
  attributes: Record<string, unknown>;
  idempotencyKey: string | null;
  schemaValid: boolean | null;
  dataschema: string | null;
}

/** A delivery to create: PENDING, or FAILED at once with `lastError` when routing or the filter failed. */
export interface NewDeliveryRow {
  id: string;
  connectorId: string;
  eventId: string;
  lastError: string | null;
}

export function eventRows(items: IngestItem[]): EventRow[] {
  return items.map(({ event, idempotencyKey, schemaValid }) => {
    const attributes = { ...event.attributes };
    if (event.time) attributes.time = event.time;
    return {
      id: event.id ?? newId("event"),
      name: event.name,
      source: event.source ?? null,
      payload: event.payload ?? null,
      attributes,
      idempotencyKey: event.id ?? idempotencyKey ?? null,
      ...catalogColumns({ event, schemaValid }),
    };
  });
}

/** The rows to insert: a key repeated inside one batch is inserted at its first occurrence only. */
export function firstOccurrences(rows: EventRow[]): { toInsert: EventRow[]; isFirst: (i: number) => boolean } {
  const firstByKey = new Map<string, number>();
  const toInsert: EventRow[] = [];
  for (const [i, row] of rows.entries()) {
    if (row.idempotencyKey !== null) {
      if (firstByKey.has(row.idempotencyKey)) continue;
      firstByKey.set(row.idempotencyKey, i);
    }
    toInsert.push(row);
  }
  const isFirst = (i: number) => {
    const key = rows[i]?.idempotencyKey ?? null;
    return key === null || firstByKey.get(key) === i;
  };
  return { toInsert, isFirst };
}

/**
 * One delivery per routed connector whose filter takes the event (DESIGN §10); a connector routing refused or
 * whose filter failed gets a FAILED delivery saying why (logged once written).
 */
export async function deliveriesFor(
  ctx: ServiceContext,
  row: EventRow,
  routed: SelectedConnector[],
): Promise<NewDeliveryRow[]> {
  const selected = await takenByFilters({ compiled: ctx.app.compiled, connectors: routed, event: row });
  return selected.map((c) => ({
    id: newId("delivery"),
    connectorId: c.id,
    eventId: row.id,
    lastError: c.failure ?? null,
  }));
}

/**
 * Answers for the rows not inserted (their id or key was seen before, in this batch or earlier): the original
 * event and its deliveries, `duplicate: true`. Fills the `undefined` entries of `out`.
 */
export async function answerRepeats(db: Executor, rows: EventRow[], out: (IngestResult | undefined)[]) {
  const repeatedKeys = rows.filter((_, i) => out[i] === undefined).map((r) => r.idempotencyKey as string);
  if (repeatedKeys.length === 0) return out as IngestResult[];
  const originals = await db
    .select({ id: events.id, key: events.idempotencyKey })
    .from(events)
    .where(inArray(events.idempotencyKey, [...new Set(repeatedKeys)]));
  const idByKey = new Map(originals.map((o) => [o.key, o.id]));
  const ids = [...new Set(idByKey.values())];
  const existing = ids.length
    ? await db
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
  return out as IngestResult[];
}
