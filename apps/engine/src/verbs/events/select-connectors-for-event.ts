import { patternsMatching } from "@ib/core/event-match";
import { connectors, type Executor } from "@ib/db";
import { and, eq, inArray } from "drizzle-orm";
import { routeByRegistry } from "../registry/route-by-registry.ts";

export interface SelectableEvent {
  name: string;
  source?: string | null;
  /** CloudEvents extensions and routing hints (country, providerType, ...). */
  attributes?: Record<string, unknown>;
  /** Registry routing reads `country` / `providerType` here too. */
  payload?: unknown;
}

export interface SelectedConnector {
  id: string;
  tags: Record<string, string>;
  /** Set when routing refuses the connector (no active registry provider): its delivery is FAILED with this. */
  failure?: string;
}

/**
 * The connectors an event goes to: every enabled connector whose `sourceEvent` matches the name
 * exactly, by a trailing wildcard (`order.*`) or `*`. The one place routing decisions are made —
 * extend it (e.g. registry routing by country / providerType) rather than filtering elsewhere.
 */
export async function selectConnectorsForEvent({
  tx,
  event,
}: {
  tx: Executor;
  event: SelectableEvent;
}): Promise<SelectedConnector[]> {
  const candidates = await tx
    .select({ id: connectors.id, tags: connectors.tags })
    .from(connectors)
    .where(and(eq(connectors.enabled, true), inArray(connectors.sourceEvent, patternsMatching(event.name))))
    .orderBy(connectors.id);
  return routeByRegistry({ tx, event, candidates });
}
