import { connectors, integrationRegistry } from "@ib/db";
import { and, asc, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { publicRegistryEntry } from "./registry-view.ts";

/** Registry entries with their connector's name and state, optionally for one country and/or provider type. */
export async function listRegistry({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { country?: string; providerType?: string };
}) {
  const { country, providerType } = input;
  const rows = await ctx.db
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
