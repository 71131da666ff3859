import type { CompiledConnectors } from "@ib/core/expressions";
import type { EventEnvelope } from "@ib/core/mapping";

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
  version: number;
  /** Its `filter` (DESIGN §10), applied per event by {@link takenByFilters}. */
  filter: Record<string, unknown> | null;
  /** Set when routing refuses the connector (no active registry provider): its delivery is FAILED with this. */
  failure?: string;
}

/** An ingested event as a filter sees it: the mapping's envelope (DESIGN §6). */
export interface FilterableEvent {
  id: string;
  name: string;
  source: string | null;
  payload: unknown;
  attributes?: Record<string, unknown>;
}

/**
 * The selected connectors whose `filter` takes the event (DESIGN §10): one it rejects gets no delivery. A
 * filter that cannot be evaluated (an expression that fails or runs out of budget) keeps its connector,
 * marked with a failure, so the event gets a FAILED delivery that says why instead of vanishing. Filters are
 * compiled once per connector version (`compiled`, the app context's); connectors without one cost nothing.
 */
export async function takenByFilters<C extends SelectedConnector>({
  compiled,
  connectors: selected,
  event,
}: {
  compiled: CompiledConnectors;
  connectors: C[];
  event: FilterableEvent;
}): Promise<C[]> {
  if (!selected.some((c) => c.filter !== null)) return selected;
  const envelope: EventEnvelope = {
    id: event.id,
    name: event.name,
    source: event.source,
    time: typeof event.attributes?.time === "string" ? event.attributes.time : new Date().toISOString(),
    payload: event.payload,
  };
  const out: C[] = [];
  for (const connector of selected) {
    if (connector.filter === null) {
      out.push(connector);
      continue;
    }
    // Also for a connector registry routing refused: an event its filter rejects gets no delivery, not a FAILED one.
    const outcome = await compiled.filter(connector).test(envelope);
    if (outcome.error) out.push({ ...connector, failure: connector.failure ?? `Filter error: ${outcome.error}` });
    else if (outcome.matched) out.push(connector);
  }
  return out;
}
