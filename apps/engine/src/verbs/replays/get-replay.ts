import type { Replay } from "@ib/core/contracts/replay";
import { deliveries, replays } from "@ib/db";
import { count, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";

/** A replay's progress: planned, created so far, and how its deliveries are doing. */
export async function getReplay({ ctx, input }: { ctx: ServiceContext; input: { id: string } }): Promise<Replay> {
  const [row] = await ctx.db.select().from(replays).where(eq(replays.id, input.id));
  if (!row) throw new NotFound(`No replay ${input.id}`);
  const byStatus = await ctx.db
    .select({ status: deliveries.status, n: count() })
    .from(deliveries)
    .where(eq(deliveries.replayId, row.id))
    .groupBy(deliveries.status);
  const n = (...statuses: string[]) =>
    byStatus.filter((s) => statuses.includes(s.status)).reduce((sum, s) => sum + Number(s.n), 0);
  return {
    id: row.id,
    connectorId: row.connectorId,
    from: row.fromTime.toISOString(),
    to: row.toTime.toISOString(),
    eventName: row.eventName,
    eventId: row.eventId,
    onlyUndelivered: row.onlyUndelivered,
    state: row.state,
    planned: row.planned,
    created: row.created,
    delivered: n("SUCCESS"),
    failed: n("FAILED", "DLQ"),
    pending: n("PENDING", "PROCESSING", "RETRY_SCHEDULED"),
    error: row.error,
    actor: { id: row.actorId, role: row.actorRole },
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}
