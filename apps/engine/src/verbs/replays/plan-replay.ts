import type { ReplayInputSchema } from "@ib/core/contracts/replay";
import { matchesSourceEvent } from "@ib/core/event-match";
import { connectors, events } from "@ib/db";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { ServiceContext } from "../../context.ts";
import { Invalid, NotFound } from "../../lib/domain-errors.ts";
import { countScope, type ReplayScope } from "./replay-scope.ts";

type Input = z.output<typeof ReplayInputSchema>;

const DAY_MS = 86_400_000;

/**
 * Check a replay request and pin down what it covers: the connector (404 if unknown), the range `[from, to)`
 * (from before to; nothing older than the retention window, whose events may already be pruned; `to` past now
 * is cut to now), the event name (one the connector takes) or the one event. Nothing is written.
 */
export async function resolveReplayScope({
  ctx,
  input,
  now = new Date(),
}: {
  ctx: ServiceContext;
  input: Input;
  now?: Date;
}): Promise<{ scope: ReplayScope; connector: { id: string; name: string; version: number } }> {
  const [connector] = await ctx.db
    .select({
      id: connectors.id,
      name: connectors.name,
      version: connectors.version,
      sourceEvent: connectors.sourceEvent,
      filter: connectors.filter,
    })
    .from(connectors)
    .where(eq(connectors.id, input.connectorId));
  if (!connector) throw new NotFound(`Connector ${input.connectorId} does not exist`);

  let from = input.from ? new Date(input.from) : undefined;
  let to = input.to ? new Date(input.to) : undefined;
  if (input.eventId) {
    const [event] = await ctx.db
      .select({ name: events.name, receivedAt: events.receivedAt })
      .from(events)
      .where(eq(events.id, input.eventId));
    if (!event) throw new NotFound(`No stored event ${input.eventId}`);
    if (!matchesSourceEvent(connector.sourceEvent, event.name)) {
      throw new Invalid(
        `Connector ${connector.id} takes ${connector.sourceEvent}; event ${input.eventId} is ${event.name}`,
        {
          field: "eventId",
        },
      );
    }
    from ??= event.receivedAt;
    to ??= new Date(event.receivedAt.getTime() + 1);
    if (event.receivedAt < from || event.receivedAt >= to) {
      throw new Invalid(
        `Event ${input.eventId} was received at ${event.receivedAt.toISOString()}, outside [from, to)`,
        {
          field: "eventId",
        },
      );
    }
  }
  if (!from || !to) throw new Invalid("from and to are required (or eventId for one event)", { field: "from" });
  if (from >= to) throw new Invalid("from must be before to", { field: "from" });
  const oldest = new Date(now.getTime() - ctx.app.env.IB_RETENTION_DAYS * DAY_MS);
  if (from < oldest) {
    throw new Invalid(
      `from is outside the retention window: events older than ${ctx.app.env.IB_RETENTION_DAYS} days (before ${oldest.toISOString()}) are pruned`,
      { field: "from", oldest: oldest.toISOString() },
    );
  }
  if (from > now) throw new Invalid("from is in the future", { field: "from" });
  if (to > now) to = now;
  if (input.eventName && !matchesSourceEvent(connector.sourceEvent, input.eventName)) {
    throw new Invalid(`Connector ${connector.id} takes ${connector.sourceEvent}, not ${input.eventName}`, {
      field: "eventName",
    });
  }
  return {
    connector,
    scope: {
      filterKey: { id: connector.id, version: connector.version },
      connectorId: connector.id,
      sourceEvent: connector.sourceEvent,
      filter: connector.filter,
      from,
      to,
      eventName: input.eventName ?? null,
      eventId: input.eventId ?? null,
      onlyUndelivered: input.onlyUndelivered,
    },
  };
}

/** A dry run: how many stored events the replay covers and how many deliveries it would create. */
export async function planReplay({ ctx, input }: { ctx: ServiceContext; input: Input }) {
  const { scope, connector } = await resolveReplayScope({ ctx, input });
  return { scope, connector, ...(await countScope({ ctx, scope })) };
}
