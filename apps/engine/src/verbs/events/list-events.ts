import { connectors, deliveries, type Executor, events } from "@ib/db";
import { and, desc, eq, gte, inArray, like, lt, or, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { decodeCursor, encodeCursor } from "../deliveries/cursor.ts";

export interface ListEventsInput {
  /** Exact name, or a prefix ending in `*` (`order.*`). */
  name?: string;
  /** Received at or after / before. */
  from?: Date;
  to?: Date;
  /** The catalog's verdict: `false` lists the events that did not match their schema (warn mode). */
  schemaValid?: boolean;
  cursor?: string;
  limit: number;
}

export type EventDeliverySummary = Awaited<ReturnType<typeof deliverySummaries>>[number];

/** Recent events, newest first, each with its deliveries (status per connector). */
export async function listEvents({ ctx, input }: { ctx: ServiceContext; input: ListEventsInput }) {
  const { db } = ctx;
  const where: SQL[] = [];
  if (input.name) {
    where.push(
      input.name.endsWith("*")
        ? like(events.name, `${escapeLike(input.name.slice(0, -1))}%`)
        : eq(events.name, input.name),
    );
  }
  if (input.from) where.push(gte(events.receivedAt, input.from));
  if (input.to) where.push(lt(events.receivedAt, input.to));
  if (input.schemaValid !== undefined) where.push(eq(events.schemaValid, input.schemaValid));
  if (input.cursor) {
    const { at, id } = decodeCursor(input.cursor);
    where.push(or(lt(events.receivedAt, at), and(eq(events.receivedAt, at), lt(events.id, id)))!);
  }
  const rows = await db
    .select()
    .from(events)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(events.receivedAt), desc(events.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const summaries = await deliverySummaries(
    db,
    page.map((e) => e.id),
  );
  const last = page[page.length - 1];
  return {
    events: page.map((e) => ({ ...presentEvent(e), deliveries: summaries.filter((d) => d.eventId === e.id) })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.receivedAt, last.id) : null,
  };
}

export async function getEvent({ ctx, input }: { ctx: ServiceContext; input: { id: string } }) {
  const { db } = ctx;
  const { id } = input;
  const [row] = await db.select().from(events).where(eq(events.id, id)).limit(1);
  if (!row) throw new NotFound(`No event ${id}`);
  return { ...presentEvent(row), deliveries: await deliverySummaries(db, [row.id]) };
}

export function presentEvent(e: typeof events.$inferSelect) {
  return {
    id: e.id,
    name: e.name,
    source: e.source,
    time: typeof e.attributes.time === "string" ? e.attributes.time : e.receivedAt.toISOString(),
    payload: e.payload ?? null,
    attributes: e.attributes,
    idempotencyKey: e.idempotencyKey,
    receivedAt: e.receivedAt.toISOString(),
    schemaValid: e.schemaValid,
    dataschema: e.dataschema,
  };
}

async function deliverySummaries(db: Executor, eventIds: string[]) {
  if (eventIds.length === 0) return [];
  const rows = await db
    .select({
      id: deliveries.id,
      eventId: deliveries.eventId,
      connectorId: deliveries.connectorId,
      connectorName: connectors.name,
      status: deliveries.status,
      attempts: deliveries.attempts,
      totalAttempts: deliveries.totalAttempts,
      round: deliveries.round,
      nextAttemptAt: deliveries.nextAttemptAt,
      lastError: deliveries.lastError,
      lastStatusCode: deliveries.lastStatusCode,
      createdAt: deliveries.createdAt,
      updatedAt: deliveries.updatedAt,
      completedAt: deliveries.completedAt,
      replayId: deliveries.replayId,
    })
    .from(deliveries)
    .innerJoin(connectors, eq(connectors.id, deliveries.connectorId))
    .where(inArray(deliveries.eventId, eventIds))
    .orderBy(deliveries.id);
  return rows.map((r) => ({
    ...r,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
  }));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
