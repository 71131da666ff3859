import { connectors, type DeliveryStatus, deliveries, deliveryAttempts } from "@ib/db";
import { and, asc, desc, eq, gte, ilike, inArray, lt, lte, or, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { presentDelivery } from "./present.ts";

export interface DeliveryLogsInput {
  connectorId: string;
  statuses?: DeliveryStatus[];
  eventId?: string;
  /** Deliveries created at or after this time. */
  from?: Date;
  /** Deliveries created at or before this time. */
  to?: Date;
  /** The last error contains this text (case-insensitive), as bulk retry's `errorContains`. */
  errorContains?: string;
  cursor?: string;
  limit: number;
}

/** A connector's deliveries, newest first, each with its attempts; keyset pagination on (createdAt, id). */
export async function listDeliveryLogs({ ctx, input }: { ctx: ServiceContext; input: DeliveryLogsInput }) {
  const { db } = ctx;
  const { connectorId } = input;
  const [connector] = await db.select({ id: connectors.id }).from(connectors).where(eq(connectors.id, connectorId));
  if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
  const where: SQL[] = [eq(deliveries.connectorId, connectorId)];
  if (input.statuses?.length) where.push(inArray(deliveries.status, input.statuses));
  if (input.eventId) where.push(eq(deliveries.eventId, input.eventId));
  if (input.from) where.push(gte(deliveries.createdAt, input.from));
  if (input.to) where.push(lte(deliveries.createdAt, input.to));
  if (input.errorContains) {
    where.push(ilike(deliveries.lastError, `%${input.errorContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  }
  if (input.cursor) {
    const { at, id } = decodeCursor(input.cursor);
    where.push(or(lt(deliveries.createdAt, at), and(eq(deliveries.createdAt, at), lt(deliveries.id, id)))!);
  }
  const rows = await db
    .select()
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const attempts = page.length
    ? await db
        .select()
        .from(deliveryAttempts)
        .where(
          inArray(
            deliveryAttempts.deliveryId,
            page.map((d) => d.id),
          ),
        )
        .orderBy(asc(deliveryAttempts.startedAt), asc(deliveryAttempts.round), asc(deliveryAttempts.attempt))
    : [];
  const last = page[page.length - 1];
  return {
    deliveries: page.map((d) =>
      presentDelivery(
        d,
        attempts.filter((a) => a.deliveryId === d.id),
      ),
    ),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
