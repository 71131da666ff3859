import type { ReplayInputSchema, ReplayPlan, ReplayStarted } from "@ib/core/contracts/replay";
import { newId } from "@ib/core/ids";
import { replays } from "@ib/db";
import type { z } from "zod";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { planReplay } from "./plan-replay.ts";

/** Where a new replay is announced: the replay runners (any engine process) start on it at once. */
export const REPLAY_CHANNEL = "ib_replays";

/**
 * `POST …/replays` (DESIGN §12). A dry run answers the counts and writes nothing. A real run records the
 * replay (its range, the connector's filter as it is now, the count planned, who asked: audited) and
 * answers at once; the replay runner then creates the deliveries page by page, each page in its own short
 * transaction, marked with the replay id. A range with nothing to deliver creates nothing at all.
 */
export async function createReplay({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: z.output<typeof ReplayInputSchema>;
}): Promise<ReplayPlan | ReplayStarted> {
  const plan = await planReplay({ ctx, input });
  if (input.dryRun) return { dryRun: true, events: plan.events, deliveries: plan.deliveries };
  if (plan.deliveries === 0) return { replayId: null, deliveries: 0 };

  const { scope } = plan;
  const id = newId("replay");
  await withTransaction(ctx, async (tx) => {
    await tx.db.insert(replays).values({
      id,
      connectorId: scope.connectorId,
      fromTime: scope.from,
      toTime: scope.to,
      eventName: scope.eventName,
      eventId: scope.eventId,
      onlyUndelivered: scope.onlyUndelivered,
      sourceEvent: scope.sourceEvent,
      filter: scope.filter,
      planned: plan.deliveries,
      actorId: ctx.actor.tokenId,
      actorRole: ctx.actor.role,
      requestId: ctx.requestId,
    });
    await recordAudit({
      ctx: tx,
      input: {
        action: "replay.create",
        target: id,
        details: {
          connectorId: scope.connectorId,
          connectorName: plan.connector.name,
          from: scope.from.toISOString(),
          to: scope.to.toISOString(),
          eventName: scope.eventName,
          eventId: scope.eventId,
          onlyUndelivered: scope.onlyUndelivered,
          events: plan.events,
          planned: plan.deliveries,
        },
      },
    });
  });
  await ctx.app.dbHandle
    .notify(REPLAY_CHANNEL, id)
    .catch((error) => ctx.log.warn({ err: error }, "replay: could not notify the runners; they poll"));
  return { replayId: id, deliveries: plan.deliveries };
}
