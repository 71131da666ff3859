import type { Executor } from "@ib/db";
import { integrationRegistry } from "@ib/db";
import { eq } from "drizzle-orm";
import type { RegistryOverrides } from "./registry-view.ts";
import { type RoutableEvent, registryPairOf } from "./route-by-registry.ts";

/**
 * The worker's view of registry overrides: active entries cached for `ttlMs` (an edit takes effect
 * within that), looked up per delivery by the event's country / providerType.
 */
export class RegistryPolicyCache {
  private entries: Map<string, RegistryOverrides> | undefined;
  private loadedAt = 0;
  private loading: Promise<Map<string, RegistryOverrides>> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly ttlMs = 1000,
  ) {}

  private async load(): Promise<Map<string, RegistryOverrides>> {
    if (this.entries && Date.now() - this.loadedAt < this.ttlMs) return this.entries;
    this.loading ??= (async () => {
      try {
        const rows = await this.db
          .select({
            country: integrationRegistry.country,
            providerType: integrationRegistry.providerType,
            connectorId: integrationRegistry.connectorId,
            overrides: integrationRegistry.overrides,
          })
          .from(integrationRegistry)
          .where(eq(integrationRegistry.active, true));
        const map = new Map<string, RegistryOverrides>();
        for (const r of rows)
          map.set(`${r.country}/${r.providerType}/${r.connectorId}`, r.overrides as RegistryOverrides);
        this.entries = map;
        this.loadedAt = Date.now();
        return map;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Overrides for a delivery of `event` to `connectorId` (empty unless the registry routed it there). */
  async overridesFor(connectorId: string, event: RoutableEvent): Promise<RegistryOverrides> {
    const pair = registryPairOf(event);
    if (!pair) return {};
    const entries = await this.load();
    return entries.get(`${pair.country}/${pair.providerType}/${connectorId}`) ?? {};
  }
}

/** A connector with registry overrides applied (only the fields an override may set). */
export function withOverrides<C extends Record<string, unknown>>(connector: C, overrides: RegistryOverrides): C {
  const out: Record<string, unknown> = { ...connector };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) out[key] = value;
  return out as C;
}
