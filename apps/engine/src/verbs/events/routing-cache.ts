import { patternsMatching } from "@ib/core/event-match";
import { type Executor, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { type RoutingRegistryEntry, registryPairKey, routeByRegistryEntries } from "../registry/route-by-registry.ts";
import type { SelectableEvent, SelectedConnector } from "./select-connectors-for-event.ts";

interface RoutingConnector extends SelectedConnector {
  sourceEvent: string;
}

/**
 * What ingest routing reads, as of one `routing_version` (read in the same statement, so the rows and the
 * version are one snapshot): every enabled connector, the names some connector expects (reconciliation) and
 * the Integration Registry. Routes are worked out from it once per event name and registry pair.
 */
export class RoutingSnapshot {
  private readonly bySource = new Map<string, RoutingConnector[]>();
  private readonly routes = new Map<string, SelectedConnector[]>();

  constructor(
    readonly version: number,
    connectors: RoutingConnector[],
    /** Event names some connector's `expect.eventName` waits for. */
    readonly expectedNames: ReadonlySet<string>,
    private readonly registry: readonly RoutingRegistryEntry[],
  ) {
    for (const c of connectors) {
      const list = this.bySource.get(c.sourceEvent) ?? [];
      list.push(c);
      this.bySource.set(c.sourceEvent, list);
    }
  }

  /**
   * The connectors an event goes to: every enabled connector whose `sourceEvent` matches the name exactly,
   * by a trailing wildcard (`order.*`) or `*`, in id order, then Integration Registry routing by country /
   * providerType. The one place routing decisions are made — extend it rather than filtering elsewhere.
   */
  route(event: SelectableEvent): SelectedConnector[] {
    const key = `${event.name}\n${registryPairKey(event)}`;
    let routed = this.routes.get(key);
    if (!routed) {
      const candidates = patternsMatching(event.name)
        .flatMap((pattern) => this.bySource.get(pattern) ?? [])
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(({ sourceEvent: _, ...c }) => c);
      routed = routeByRegistryEntries({ event, candidates, entries: this.registry });
      // Bounded: names are few, but a producer inventing a name per event must not grow this without end.
      if (this.routes.size >= MAX_ROUTES) this.routes.clear();
      this.routes.set(key, routed);
    }
    return routed;
  }
}

const MAX_ROUTES = 10_000;

const LOAD = sql`select
    (select version from routing_version where id = 1) as version,
    (select coalesce(json_agg(json_build_object('id', id, 'sourceEvent', source_event, 'tags', tags,
        'version', version, 'filter', filter) order by id), '[]'::json)
      from connectors where enabled) as connectors,
    (select coalesce(json_agg(distinct expect->>'eventName'), '[]'::json)
      from connectors where expect is not null) as expected,
    (select coalesce(json_agg(json_build_object('connectorId', connector_id, 'country', country,
        'providerType', provider_type, 'active', active)), '[]'::json)
      from integration_registry) as registry`;

/**
 * Ingest's routing, cached per process (one per app context, `ctx.app.routing`). Correctness never waits for
 * an expiry: the ingest statement writes only while `routing_version` still equals the snapshot's version
 * (a trigger bumps it with any connector or registry change, from any process), and a stale snapshot is
 * reloaded and the write tried again.
 */
export class RoutingCache {
  private current: RoutingSnapshot | undefined;
  private loading: Promise<RoutingSnapshot> | undefined;

  /** The cached snapshot, loaded first if there is none (concurrent callers share one load). */
  async get(db: Executor): Promise<RoutingSnapshot> {
    if (this.current) return this.current;
    if (!this.loading) {
      this.loading = loadRoutingSnapshot(db).finally(() => {
        this.loading = undefined;
      });
    }
    const snapshot = await this.loading;
    this.current = snapshot;
    return snapshot;
  }

  /** Forget `stale` (a write found the version moved on); a newer snapshot already loaded is kept. */
  invalidate(stale?: RoutingSnapshot): void {
    if (!stale || this.current === stale) this.current = undefined;
  }
}

/** Read the routing as of now (in a transaction: as of its snapshot), with its `routing_version`. */
export async function loadRoutingSnapshot(db: Executor): Promise<RoutingSnapshot> {
  const [row] = await execute<{
    version: number | string | null;
    connectors: RoutingConnector[];
    expected: string[];
    registry: RoutingRegistryEntry[];
  }>(db, LOAD);
  return new RoutingSnapshot(
    Number(row?.version ?? 0),
    (row?.connectors ?? []).map((c) => ({ ...c, tags: c.tags ?? {}, filter: c.filter ?? null })),
    new Set(row?.expected ?? []),
    row?.registry ?? [],
  );
}
