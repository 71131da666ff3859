import { type Executor, execute, inboundWebhooks, type Source, sources } from "@ib/db";
import { eq, inArray, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { SchemaValidationFailed } from "../lib/domain-errors.ts";
import { checkEventSchemas, describeSchemaRefusal } from "../verbs/catalog/check-event-schema.ts";
import { ingestEvents } from "../verbs/events/ingest-events.ts";
import { describeIngestError } from "./describe-error.ts";
import { eventFromWebhook } from "./event-from-webhook.ts";

/** Attempts before a webhook that keeps failing to ingest is marked FAILED. */
export const MAX_INBOUND_ATTEMPTS = 5;

interface Claimed {
  id: string;
  sourceId: string;
  attempts: number;
}

/**
 * Claim up to `limit` RECEIVED webhooks (skipping rows another worker holds, taking back expired
 * leases) and lease them for `leaseMs`, so several worker processes can share the table.
 */
async function claim(db: Executor, limit: number, leaseMs: number): Promise<Claimed[]> {
  return execute<Claimed>(
    db,
    sql`update ${inboundWebhooks} set locked_until = clock_timestamp() + ${`${leaseMs} milliseconds`}::interval,
          attempts = attempts + 1
        where id in (
          select id from ${inboundWebhooks}
          where status = 'RECEIVED' and (locked_until is null or locked_until < clock_timestamp())
          order by received_at
          limit ${limit}
          for update skip locked)
        returning id, source_id as "sourceId", attempts`,
  );
}

/**
 * One pass of the inbound service: claim, convert each webhook into an event through its source's
 * eventName/eventMapping, ingest it (so connectors fan it out), record the outcome. Returns how many
 * webhooks it handled.
 */
export async function processInboundWebhooks({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { limit?: number; leaseMs?: number };
}): Promise<number> {
  const { limit = 50, leaseMs = ctx.app.env.IB_LEASE_MS } = input;
  const claimed = await claim(ctx.db, limit, leaseMs);
  if (claimed.length === 0) return 0;
  const rows = await ctx.db
    .select()
    .from(inboundWebhooks)
    .where(
      inArray(
        inboundWebhooks.id,
        claimed.map((c) => c.id),
      ),
    );
  const sourceIds = [...new Set(rows.map((r) => r.sourceId))];
  const sourceById = new Map<string, Source>(
    (await ctx.db.select().from(sources).where(inArray(sources.id, sourceIds))).map((s) => [s.id, s]),
  );

  for (const row of rows) {
    const attempts = claimed.find((c) => c.id === row.id)?.attempts ?? row.attempts;
    const source = sourceById.get(row.sourceId);
    try {
      if (!source) throw new Error(`source ${row.sourceId} no longer exists`);
      const conversion = eventFromWebhook(source, row);
      if (conversion.kind === "ignored") {
        await finish(ctx.db, row.id, { status: "PROCESSED", eventId: null, lastError: conversion.reason });
        continue;
      }
      if (conversion.kind === "refused") {
        // Receiving refuses such a body with a 400; one stored before that check can never become an event
        // either, so it fails at once instead of being retried.
        await finish(ctx.db, row.id, { status: "FAILED", eventId: null, lastError: conversion.reason });
        ctx.log.warn(
          { webhookId: row.id, sourceId: row.sourceId, reason: conversion.reason },
          "inbound webhook refused",
        );
        continue;
      }
      // The event catalog applies as at POST /v1/events: enforce refuses it for good (it will never
      // match), warn stores it flagged.
      const [check] = await checkEventSchemas({ ctx, input: { events: [conversion.event] } });
      if (check instanceof SchemaValidationFailed) {
        await finish(ctx.db, row.id, { status: "FAILED", eventId: null, lastError: describeSchemaRefusal(check) });
        ctx.log.warn({ webhookId: row.id, sourceId: row.sourceId }, "inbound webhook refused by the event catalog");
        continue;
      }
      const item = { event: conversion.event, schemaValid: check?.schemaValid ?? null };
      const [result] = await ingestEvents({ ctx, input: { items: [item] } });
      await finish(ctx.db, row.id, {
        status: "PROCESSED",
        eventId: result?.id ?? conversion.event.id ?? null,
        lastError: null,
      });
      ctx.log.debug(
        { webhookId: row.id, sourceId: row.sourceId, eventId: result?.id, deliveries: result?.deliveries.length },
        "inbound webhook ingested",
      );
    } catch (error) {
      const message = describeIngestError(error);
      const final = attempts >= MAX_INBOUND_ATTEMPTS;
      ctx.log.warn(
        { webhookId: row.id, sourceId: row.sourceId, attempts, err: message },
        final ? "inbound webhook failed for good" : "inbound webhook failed; will retry",
      );
      if (final) {
        await finish(ctx.db, row.id, { status: "FAILED", eventId: null, lastError: message });
      } else {
        // Back off: the lease becomes the retry time (2 s, 4 s, 8 s, ...).
        await ctx.db
          .update(inboundWebhooks)
          .set({ lastError: message, lockedUntil: new Date(Date.now() + 1000 * 2 ** attempts) })
          .where(eq(inboundWebhooks.id, row.id));
      }
    }
  }
  return rows.length;
}

async function finish(
  db: Executor,
  id: string,
  outcome: { status: "PROCESSED" | "FAILED"; eventId: string | null; lastError: string | null },
) {
  await db
    .update(inboundWebhooks)
    .set({ ...outcome, processedAt: new Date(), lockedUntil: null })
    .where(eq(inboundWebhooks.id, id));
}
