import { integrationRegistry } from "@ib/db";
import { and, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { RegistryOverrides } from "./registry-view.ts";

export interface RoutableEvent {
  payload?: unknown;
  attributes?: Record<string, unknown>;
}

export interface RoutingCandidate {
  id: string;
  tags: Record<string, string>;
}

/** A candidate the registry refuses: its delivery is recorded FAILED with this reason. */
export type RoutedCandidate<C> = C & { failure?: string };

function field(source: unknown, names: string[]): string | null {
  if (source === null || typeof source !== "object" || Array.isArray(source)) return null;
  for (const [key, value] of Object.entries(source)) {
    if (names.includes(key.toLowerCase()) && typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}

/**
 * The `country` and `providerType` an event names, in its routing attributes (CloudEvents extensions are
 * lower case: `providertype`) or its payload; both are needed for registry routing.
 */
export function registryPairOf(event: RoutableEvent): { country: string; providerType: string } | null {
  const country = field(event.attributes, ["country"]) ?? field(event.payload, ["country"]);
  const providerType =
    field(event.attributes, ["providertype", "provider_type"]) ??
    field(event.payload, ["providertype", "provider_type"]);
  if (!country || !providerType) return null;
  return { country: country.toUpperCase(), providerType };
}

/** Part of a routing cache key: events with the same name but another pair may route differently. */
export function registryPairKey(event: RoutableEvent): string {
  const pair = registryPairOf(event);
  return pair ? `${pair.country}/${pair.providerType}` : "";
}

/** A registry entry as routing reads it. */
export interface RoutingRegistryEntry {
  connectorId: string;
  country: string;
  providerType: string;
  active: boolean;
}

/**
 * Integration Registry routing (issue 8 item 8) over the registry's entries (the routing snapshot holds them
 * all). An event naming a country and a provider type goes only to the connector active for that pair.
 * Connectors that belong to that provider type (tagged `providerType`, or listed in the registry for it)
 * and are not the active one are dropped; with no active provider they are kept, marked with a failure, so
 * each gets a FAILED delivery that says why. Connectors unrelated to the provider type are untouched.
 */
export function routeByRegistryEntries<C extends RoutingCandidate>({
  event,
  candidates,
  entries: all,
}: {
  event: RoutableEvent;
  candidates: C[];
  entries: readonly RoutingRegistryEntry[];
}): RoutedCandidate<C>[] {
  const pair = registryPairOf(event);
  if (!pair || candidates.length === 0) return candidates;
  const entries = all.filter((e) => e.providerType === pair.providerType);
  const active = entries.find((e) => e.active && e.country === pair.country)?.connectorId ?? null;
  const inRegistry = new Set(entries.map((e) => e.connectorId));
  const related = (c: C) => c.tags?.providerType === pair.providerType || inRegistry.has(c.id);

  const out: RoutedCandidate<C>[] = [];
  for (const c of candidates) {
    if (!related(c)) out.push(c);
    else if (active === null) {
      out.push({
        ...c,
        failure:
          `No active ${pair.providerType} provider for country ${pair.country} in the Integration Registry: ` +
          `activate one (PUT /admin/integration-builder/registry with active: true) and retry`,
      });
    } else if (c.id === active) out.push(c);
  }
  return out;
}

/**
 * The overrides of the registry entry that routes `event` to `connectorId` (empty when the event names
 * no pair or the connector is not the active one for it). The worker applies them over the connector's
 * own timeout, rate limit and retry policy.
 */
export async function registryOverridesFor({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string; event: RoutableEvent };
}): Promise<RegistryOverrides> {
  const { connectorId, event } = input;
  const pair = registryPairOf(event);
  if (!pair) return {};
  const [entry] = await ctx.db
    .select({ overrides: integrationRegistry.overrides })
    .from(integrationRegistry)
    .where(
      and(
        eq(integrationRegistry.country, pair.country),
        eq(integrationRegistry.providerType, pair.providerType),
        eq(integrationRegistry.connectorId, connectorId),
        eq(integrationRegistry.active, true),
      ),
    );
  return (entry?.overrides as RegistryOverrides | undefined) ?? {};
}
