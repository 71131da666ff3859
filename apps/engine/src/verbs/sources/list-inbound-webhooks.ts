import type { InboundStatus } from "@ib/core/contracts/source";
import { inboundWebhooks, sources } from "@ib/db";
import { and, desc, eq, lt } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { webhookSummary } from "./source-view.ts";

/** Recent inbound webhooks of a source, newest first, with their verification outcome (no raw body). */
export async function listInboundWebhooks({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { sourceId: string; status?: InboundStatus; cursor?: string; limit?: number };
}) {
  const { sourceId, status, cursor, limit = 50 } = input;
  const [source] = await ctx.db.select({ id: sources.id }).from(sources).where(eq(sources.id, sourceId));
  if (!source) throw new NotFound(`Source ${sourceId} does not exist`);
  const rows = await ctx.db
    .select({
      id: inboundWebhooks.id,
      sourceId: inboundWebhooks.sourceId,
      providerEventId: inboundWebhooks.providerEventId,
      dedupKey: inboundWebhooks.dedupKey,
      verified: inboundWebhooks.verified,
      verificationError: inboundWebhooks.verificationError,
      status: inboundWebhooks.status,
      eventId: inboundWebhooks.eventId,
      attempts: inboundWebhooks.attempts,
      lockedUntil: inboundWebhooks.lockedUntil,
      lastError: inboundWebhooks.lastError,
      receivedAt: inboundWebhooks.receivedAt,
      processedAt: inboundWebhooks.processedAt,
    })
    .from(inboundWebhooks)
    .where(
      and(
        eq(inboundWebhooks.sourceId, sourceId),
        status ? eq(inboundWebhooks.status, status) : undefined,
        // Ids are ULIDs: id order is arrival order, so the id is the cursor.
        cursor ? lt(inboundWebhooks.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(inboundWebhooks.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    webhooks: page.map(webhookSummary),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * One inbound webhook with its raw body and headers. Raw provider payloads can carry personal and
 * payment data, so the route needs `integrations.webhooks.raw.read` and every read is audited.
 */
export async function readRawWebhook({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { sourceId: string; webhookId: string };
}) {
  const { sourceId, webhookId } = input;
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .select()
      .from(inboundWebhooks)
      .where(and(eq(inboundWebhooks.sourceId, sourceId), eq(inboundWebhooks.id, webhookId)));
    if (!row) throw new NotFound(`Source ${sourceId} has no inbound webhook ${webhookId}`);
    await recordAudit({
      ctx: tx,
      input: {
        action: "inbound_webhook.raw.read",
        target: webhookId,
        details: { sourceId, providerEventId: row.providerEventId },
      },
    });
    return { ...webhookSummary(row), headers: row.headers, rawBody: row.rawBody };
  });
}
