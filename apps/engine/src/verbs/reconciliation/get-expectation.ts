import type { ExpectationDetail } from "@ib/core/contracts/reconciliation";
import { connectors, deliveries, deliveryAttempts, type Event, events, expectations } from "@ib/db";
import { desc, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { presentExpectation } from "./present.ts";

/** One expectation with its delivery (last answer), the event it carried and the event that closed it. */
export async function getExpectation({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string };
}): Promise<ExpectationDetail> {
  const [found] = await ctx.db
    .select({ row: expectations, connectorName: connectors.name })
    .from(expectations)
    .leftJoin(connectors, eq(connectors.id, expectations.connectorId))
    .where(eq(expectations.id, input.id));
  if (!found) throw new NotFound(`Expectation ${input.id} does not exist`);
  const { row } = found;
  const eventIds = [row.eventId, ...(row.observedEventId ? [row.observedEventId] : [])];
  const [deliveryRows, eventRows, lastAttempt] = await Promise.all([
    ctx.db.select().from(deliveries).where(eq(deliveries.id, row.deliveryId)),
    ctx.db.select().from(events).where(inArray(events.id, eventIds)),
    ctx.db
      .select({ response: deliveryAttempts.response })
      .from(deliveryAttempts)
      .where(eq(deliveryAttempts.deliveryId, row.deliveryId))
      .orderBy(desc(deliveryAttempts.startedAt), desc(deliveryAttempts.attempt))
      .limit(1),
  ]);
  const delivery = deliveryRows[0];
  const side = (id: string | null) => {
    const e: Event | undefined = id ? eventRows.find((r) => r.id === id) : undefined;
    return e
      ? { id: e.id, name: e.name, source: e.source, payload: e.payload, receivedAt: e.receivedAt.toISOString() }
      : null;
  };
  return {
    ...presentExpectation(row, found.connectorName),
    delivery: delivery
      ? {
          id: delivery.id,
          status: delivery.status,
          completedAt: delivery.completedAt?.toISOString() ?? null,
          lastStatusCode: delivery.lastStatusCode,
          response: lastAttempt[0]?.response ?? null,
        }
      : null,
    event: side(row.eventId),
    observedEvent: side(row.observedEventId),
  };
}
