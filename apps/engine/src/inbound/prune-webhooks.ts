import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";

/**
 * Delete inbound webhooks older than `cutoff` that are done with (PROCESSED, FAILED, REJECTED), in
 * batches, skipping rows another process holds. Raw provider payloads can carry personal data: they are
 * kept as long as events are (IB_RETENTION_DAYS), not forever.
 */
export async function pruneInboundWebhooks({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { cutoff: Date; batchSize: number; maxBatches?: number };
}): Promise<number> {
  const { cutoff, batchSize, maxBatches = 1000 } = input;
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const rows = await execute<{ id: string }>(
      ctx.db,
      sql`delete from inbound_webhooks where id in (
            select id from inbound_webhooks
            where received_at < ${cutoff.toISOString()}::timestamptz and status <> 'RECEIVED'
            limit ${batchSize}
            for update skip locked)
          returning id`,
    );
    total += rows.length;
    if (rows.length < batchSize) break;
  }
  return total;
}
