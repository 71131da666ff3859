import type { RegistryEntry } from "@ib/db";

/** Policy a registry entry may override on its connector while it is routed through that entry. */
export interface RegistryOverrides {
  timeoutMs?: number;
  rateLimitPerSecond?: number | null;
  retryMaxAttempts?: number;
  retryBackoffBaseMs?: number;
  retryBackoffMaxMs?: number;
}

export function publicRegistryEntry(row: RegistryEntry, connector?: { name: string; enabled: boolean } | null) {
  return {
    id: row.id,
    country: row.country,
    providerType: row.providerType,
    connectorId: row.connectorId,
    connectorName: connector?.name ?? null,
    connectorEnabled: connector?.enabled ?? null,
    active: row.active,
    overrides: row.overrides as RegistryOverrides,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type PublicRegistryEntry = ReturnType<typeof publicRegistryEntry>;
