import { newId } from "@ib/core";
import type { ConnectorInput } from "@ib/core/connector-schema";
import { connectors, deliveries, type NewConnector } from "@ib/db";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Conflict, NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { auditSnapshot, diff, type PublicConnector, publicConnector, secretNamesOf } from "./connector-view.ts";

/**
 * Create a connector (no `id`) or replace one (`id` + the `version` the caller read). A stale version is a
 * CONFLICT: the update only applies where the stored version still matches, so two racing writers cannot
 * both win. Audited in the same transaction, with a before/after diff.
 */
export async function upsertConnector({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ConnectorInput;
}): Promise<{ connector: PublicConnector; created: boolean }> {
  const { id, version, ...fields } = input;
  const values = {
    name: fields.name,
    description: fields.description ?? null,
    enabled: fields.enabled,
    sourceEvent: fields.sourceEvent,
    destination: fields.destination,
    mapping: fields.mapping ?? null,
    auth: (fields.auth ?? null) as Record<string, unknown> | null,
    timeoutMs: fields.timeoutMs,
    retryMaxAttempts: fields.retryMaxAttempts,
    retryBackoffBaseMs: fields.retryBackoffBaseMs,
    retryBackoffMaxMs: fields.retryBackoffMaxMs,
    circuitFailureThreshold: fields.circuitFailureThreshold,
    circuitCooldownMs: fields.circuitCooldownMs,
    rateLimitPerSecond: fields.rateLimitPerSecond ?? null,
    maxInFlight: fields.maxInFlight ?? null,
    preset: fields.preset ?? null,
    tags: fields.tags,
    sampleEvent: fields.sampleEvent ?? null,
    filter: (fields.filter ?? null) as Record<string, unknown> | null,
    expect: fields.expect ?? null,
  } satisfies Omit<NewConnector, "id">;

  return withTransaction(ctx, async (tx) => {
    if (id === undefined) {
      const [row] = await tx.db
        .insert(connectors)
        .values({ id: newId("connector"), ...values })
        .returning();
      if (!row) throw new Error("connector insert returned nothing");
      const connector = publicConnector(row, []);
      await recordAudit({
        ctx: tx,
        input: {
          action: "connector.create",
          target: row.id,
          details: { name: row.name, changes: diff(null, auditSnapshot(connector)) },
        },
      });
      return { connector, created: true };
    }

    const [current] = await tx.db.select().from(connectors).where(eq(connectors.id, id)).for("update");
    if (!current) throw new NotFound(`Connector ${id} does not exist`);
    if (current.version !== version) {
      throw new Conflict(
        `Connector ${id} has changed since you read it (your version ${version}, current ${current.version}): reload and apply your change again`,
        { currentVersion: current.version },
      );
    }
    // The engine's reason for disabling it (410 Gone) stays while it stays disabled; enabling clears it.
    const keepReason = !values.enabled && !current.enabled;
    const [row] = await tx.db
      .update(connectors)
      .set({
        ...values,
        disabledReason: keepReason ? current.disabledReason : null,
        disabledAt: keepReason ? current.disabledAt : null,
        version: sql`${connectors.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(connectors.id, id), eq(connectors.version, current.version)))
      .returning();
    if (!row) throw new Conflict(`Connector ${id} changed during the update: reload and retry`);
    if (row.enabled && !current.enabled) {
      // Its deliveries waiting for it to be enabled go out now, not at their next look (up to 10 s later).
      await tx.db
        .update(deliveries)
        .set({ nextAttemptAt: sql`now()`, updatedAt: new Date() })
        .where(
          and(
            eq(deliveries.connectorId, id),
            eq(deliveries.waitReason, "disabled"),
            inArray(deliveries.status, ["PENDING", "RETRY_SCHEDULED"]),
            gt(deliveries.nextAttemptAt, sql`now()`),
          ),
        );
    }
    const secrets = (await secretNamesOf(tx.db, [id])).get(id) ?? [];
    const before = publicConnector(current, secrets);
    const connector = publicConnector(row, secrets);
    await recordAudit({
      ctx: tx,
      input: {
        action: "connector.update",
        target: id,
        details: {
          name: row.name,
          version: row.version,
          changes: diff(auditSnapshot(before), auditSnapshot(connector)),
        },
      },
    });
    return { connector, created: false };
  });
}
