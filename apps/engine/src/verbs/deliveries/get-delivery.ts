import { connectors, deliveries, deliveryAttempts, events } from "@ib/db";
import { asc, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { presentEvent } from "../events/list-events.ts";
import { presentDelivery } from "./present.ts";

/** One delivery with every attempt (request, response, timing), its event and its connector's name. */
export async function getDelivery({ ctx, input }: { ctx: ServiceContext; input: { id: string } }) {
  const { id } = input;
  const [row] = await ctx.db
    .select({ delivery: deliveries, event: events, connectorName: connectors.name })
    .from(deliveries)
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .innerJoin(connectors, eq(connectors.id, deliveries.connectorId))
    .where(eq(deliveries.id, id))
    .limit(1);
  if (!row) throw new NotFound(`No delivery ${id}`);
  const attempts = await ctx.db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, id))
    .orderBy(asc(deliveryAttempts.startedAt), asc(deliveryAttempts.round), asc(deliveryAttempts.attempt));
  return {
    ...presentDelivery(row.delivery, attempts),
    connectorName: row.connectorName,
    event: presentEvent(row.event),
  };
}
