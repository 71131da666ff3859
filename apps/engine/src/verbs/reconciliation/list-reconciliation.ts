import type { ReconciliationList, ReconciliationStatus } from "@ib/core/contracts/reconciliation";
import { connectors, expectations, unexpectedEvents } from "@ib/db";
import { and, desc, eq, gte, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { decodeCursor, encodeCursor } from "../deliveries/cursor.ts";
import { presentExpectation, presentUnexpected } from "./present.ts";

export interface ListReconciliationInput {
  /** An expectation status, or UNEXPECTED for the events nobody expected (still unresolved). */
  status?: ReconciliationStatus;
  connectorId?: string;
  /** Opened (UNEXPECTED: received) at or after this time. */
  from?: Date;
  /** Opened (UNEXPECTED: received) at or before this time. */
  to?: Date;
  cursor?: string;
  limit: number;
}

/**
 * Expectations newest first (keyset pagination on (openedAt, id)), optionally one status, one connector
 * and a time range; with `status: UNEXPECTED`, the unresolved unexpected events instead.
 */
export async function listReconciliation({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ListReconciliationInput;
}): Promise<ReconciliationList> {
  if (input.connectorId) {
    const [found] = await ctx.db
      .select({ id: connectors.id })
      .from(connectors)
      .where(eq(connectors.id, input.connectorId));
    if (!found) throw new NotFound(`Connector ${input.connectorId} does not exist`);
  }
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;

  if (input.status === "UNEXPECTED") {
    const t = unexpectedEvents;
    const where: SQL[] = [isNull(t.resolvedAt)];
    if (input.connectorId) where.push(eq(t.connectorId, input.connectorId));
    if (input.from) where.push(gte(t.receivedAt, input.from));
    if (input.to) where.push(lte(t.receivedAt, input.to));
    if (cursor) where.push(or(lt(t.receivedAt, cursor.at), and(eq(t.receivedAt, cursor.at), lt(t.id, cursor.id)))!);
    const rows = await ctx.db
      .select({ row: t, connectorName: connectors.name })
      .from(t)
      .leftJoin(connectors, eq(connectors.id, t.connectorId))
      .where(and(...where))
      .orderBy(desc(t.receivedAt), desc(t.id))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1]?.row;
    return {
      items: page.map((r) => presentUnexpected(r.row, r.connectorName)),
      nextCursor: rows.length > input.limit && last ? encodeCursor(last.receivedAt, last.id) : null,
    };
  }

  const t = expectations;
  const where: SQL[] = [];
  if (input.status) where.push(eq(t.status, input.status));
  if (input.connectorId) where.push(eq(t.connectorId, input.connectorId));
  if (input.from) where.push(gte(t.openedAt, input.from));
  if (input.to) where.push(lte(t.openedAt, input.to));
  if (cursor) where.push(or(lt(t.openedAt, cursor.at), and(eq(t.openedAt, cursor.at), lt(t.id, cursor.id)))!);
  const rows = await ctx.db
    .select({ row: t, connectorName: connectors.name })
    .from(t)
    .leftJoin(connectors, eq(connectors.id, t.connectorId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(t.openedAt), desc(t.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1]?.row;
  return {
    items: page.map((r) => presentExpectation(r.row, r.connectorName)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.openedAt, last.id) : null,
  };
}
