import { newId } from "@ib/core";
import { connectors, type Executor, integrationRegistry } from "@ib/db";
import { and, eq, ne, sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { publicRegistryEntry, type RegistryOverrides } from "./registry-view.ts";

export interface RegistryEntryInput {
  country: string;
  providerType: string;
  connectorId: string;
  active?: boolean;
  overrides?: RegistryOverrides;
}

// One pair at a time: two admins switching the same pair cannot both end up active.
async function lockPair(tx: Executor, country: string, providerType: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`registry:${country}:${providerType}`}))`);
}

/**
 * Put a connector in the registry for a country and provider type (or change its overrides). With
 * `active: true` it becomes THE provider for that pair and the previous one is deactivated in the same
 * transaction, as one audited change.
 */
export async function upsertRegistryEntry({ ctx, input }: { ctx: ServiceContext; input: RegistryEntryInput }) {
  return withTransaction(ctx, async (tx) => {
    await lockPair(tx.db, input.country, input.providerType);
    const [connector] = await tx.db
      .select({ id: connectors.id, name: connectors.name, enabled: connectors.enabled })
      .from(connectors)
      .where(eq(connectors.id, input.connectorId));
    if (!connector) throw new NotFound(`Connector ${input.connectorId} does not exist`);

    const pair = and(
      eq(integrationRegistry.country, input.country),
      eq(integrationRegistry.providerType, input.providerType),
    );
    const [existing] = await tx.db
      .select()
      .from(integrationRegistry)
      .where(and(pair, eq(integrationRegistry.connectorId, input.connectorId)));
    const [previousActive] = await tx.db
      .select()
      .from(integrationRegistry)
      .where(and(pair, eq(integrationRegistry.active, true)));

    const active = input.active ?? existing?.active ?? false;
    if (active && previousActive && previousActive.connectorId !== input.connectorId) {
      await tx.db
        .update(integrationRegistry)
        .set({ active: false, version: sql`${integrationRegistry.version} + 1`, updatedAt: new Date() })
        .where(and(pair, eq(integrationRegistry.active, true), ne(integrationRegistry.connectorId, input.connectorId)));
    }
    let row: typeof integrationRegistry.$inferSelect | undefined;
    if (existing) {
      [row] = await tx.db
        .update(integrationRegistry)
        .set({
          active,
          overrides: (input.overrides ?? existing.overrides) as Record<string, unknown>,
          version: sql`${integrationRegistry.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(integrationRegistry.id, existing.id))
        .returning();
    } else {
      [row] = await tx.db
        .insert(integrationRegistry)
        .values({
          id: newId("registry"),
          country: input.country,
          providerType: input.providerType,
          connectorId: input.connectorId,
          active,
          overrides: (input.overrides ?? {}) as Record<string, unknown>,
        })
        .returning();
    }
    if (!row) throw new Error("registry write returned nothing");
    const switched = active && previousActive?.connectorId !== input.connectorId;
    await recordAudit({
      ctx: tx,
      input: {
        action: switched ? "registry.activate" : existing ? "registry.update" : "registry.create",
        target: `${input.country}/${input.providerType}`,
        details: {
          entryId: row.id,
          connectorId: input.connectorId,
          active,
          overrides: row.overrides,
          ...(switched ? { previousConnectorId: previousActive?.connectorId ?? null } : {}),
          ...(existing ? { before: { active: existing.active, overrides: existing.overrides } } : {}),
        },
      },
    });
    return { entry: publicRegistryEntry(row, connector), created: !existing };
  });
}
