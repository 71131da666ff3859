import { connectors, type Executor, integrationRegistry } from "@ib/db";
import { and, asc, eq } from "drizzle-orm";
import { publicRegistryEntry } from "./registry-view.ts";

export async function listRegistry({
  db,
  country,
  providerType,
}: {
  db: Executor;
  country?: string;
  providerType?: string;
}) {
  const rows = await db
    .select({ entry: integrationRegistry, name: connectors.name, enabled: connectors.enabled })
    .from(integrationRegistry)
    .leftJoin(connectors, eq(connectors.id, integrationRegistry.connectorId))
    .where(
      and(
        country ? eq(integrationRegistry.country, country) : undefined,
        providerType ? eq(integrationRegistry.providerType, providerType) : undefined,
      ),
    )
    .orderBy(
      asc(integrationRegistry.country),
      asc(integrationRegistry.providerType),
      asc(integrationRegistry.createdAt),
    );
  return rows.map((r) =>
    publicRegistryEntry(r.entry, r.name === null ? null : { name: r.name, enabled: r.enabled ?? false }),
  );
}
