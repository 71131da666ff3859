import { newId } from "@ib/core/ids";
import {
  connectors,
  deliveries,
  execute,
  inChunks,
  type NewDelivery,
  type Replay,
  replays,
  rowsPerStatement,
} from "@ib/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type AppContext, systemContext, withTransaction } from "../../context.ts";
import { type ReplayCursor, type ReplayScope, scanReplayPage } from "./replay-scope.ts";

/** How long a runner holds a replay between pages; a runner that died lets another take over after it. */
export const REPLAY_LEASE_MS = 30_000;

class LostLease extends Error {}

/**
 * Work off running replays: claim one whose lease is free (any engine process may), create its deliveries
 * page by page from its keyset cursor, each page in one short transaction that also moves the cursor —
 * only while the lease is still this runner's, so a page is never created twice — and mark it done after
 * the last page. Returns how many replays it finished or gave up on.
 */
export async function runReplays({
  app,
  owner,
  shouldStop = () => false,
}: {
  app: AppContext;
  owner: string;
  shouldStop?: () => boolean;
}): Promise<number> {
  let finished = 0;
  while (!shouldStop()) {
    const replay = await claimReplay(app, owner);
    if (!replay) break;
    if (await runOne(app, replay, owner, shouldStop)) finished++;
    else break;
  }
  return finished;
}

async function claimReplay(app: AppContext, owner: string): Promise<Replay | undefined> {
  const claimed = await execute<{ id: string }>(
    app.db,
    sql`update replays set locked_by = ${owner},
          locked_until = now() + make_interval(secs => ${REPLAY_LEASE_MS / 1000}), updated_at = now()
        where id = (select id from replays
                    where state = 'running' and (locked_until is null or locked_until < now())
                    order by created_at limit 1 for update skip locked)
        returning id`,
  );
  const id = claimed[0]?.id;
  if (!id) return undefined;
  const [row] = await app.db.select().from(replays).where(eq(replays.id, id));
  return row;
}

/** One replay to its end (true), or until stopped or an error (false: its lease runs out, someone retries). */
async function runOne(app: AppContext, replay: Replay, owner: string, shouldStop: () => boolean): Promise<boolean> {
  const ctx = systemContext(app, replay.requestId);
  const log = ctx.log.child({ replayId: replay.id });
  if (!replay.connectorId) return finish(app, replay.id, owner, "failed", "The connector was deleted");
  const scope: ReplayScope = {
    filterKey: { id: replay.id, version: 0 },
    connectorId: replay.connectorId,
    sourceEvent: replay.sourceEvent,
    filter: (replay.filter ?? null) as Record<string, unknown> | null,
    from: replay.fromTime,
    to: replay.toTime,
    eventName: replay.eventName,
    eventId: replay.eventId,
    onlyUndelivered: replay.onlyUndelivered,
  };
  let cursor: ReplayCursor | null =
    replay.cursorAt && replay.cursorId ? { at: replay.cursorAt, id: replay.cursorId } : null;
  try {
    for (;;) {
      if (shouldStop()) {
        await release(app, replay.id, owner);
        return false;
      }
      const page = await scanReplayPage({ ctx, db: app.db, scope, cursor });
      const rows: NewDelivery[] = page.taken.map((t) => ({
        id: newId("delivery"),
        connectorId: scope.connectorId,
        eventId: t.eventId,
        replayId: replay.id,
        ...(t.failure ? { status: "FAILED" as const, lastError: t.failure, completedAt: new Date() } : {}),
      }));
      const done = page.next === null;
      await withTransaction(ctx, async (tx) => {
        const moved = await tx.db
          .update(replays)
          .set({
            created: sql`${replays.created} + ${rows.length}`,
            updatedAt: new Date(),
            ...(done
              ? { state: "done" as const, completedAt: new Date(), lockedBy: null, lockedUntil: null }
              : {
                  cursorAt: page.next?.at,
                  cursorId: page.next?.id,
                  lockedUntil: sql`now() + make_interval(secs => ${REPLAY_LEASE_MS / 1000})`,
                }),
          })
          .where(
            and(
              eq(replays.id, replay.id),
              eq(replays.lockedBy, owner),
              eq(replays.state, "running"),
              cursor ? eq(replays.cursorId, cursor.id) : isNull(replays.cursorId),
            ),
          )
          .returning({ id: replays.id });
        if (moved.length === 0) throw new LostLease();
        await inChunks(rows, rowsPerStatement(deliveries), (chunk) => tx.db.insert(deliveries).values(chunk));
      });
      if (rows.length > 0) app.wakeWorkers();
      if (done) {
        log.info({ connectorId: scope.connectorId }, "replay done");
        return true;
      }
      cursor = page.next;
      // Other work (API requests, the worker) gets the process between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    if (error instanceof LostLease) {
      log.warn("replay: another runner took it over (this one was too slow); leaving it");
      return false;
    }
    const [connector] = await app.db
      .select({ id: connectors.id })
      .from(connectors)
      .where(eq(connectors.id, scope.connectorId))
      .catch(() => [{ id: scope.connectorId }]);
    if (!connector) return finish(app, replay.id, owner, "failed", "The connector was deleted");
    log.error({ err: error }, "replay page failed; another attempt after the lease expires");
    return false;
  }
}

async function finish(app: AppContext, id: string, owner: string, state: "done" | "failed", error: string | null) {
  await app.db
    .update(replays)
    .set({ state, error, completedAt: new Date(), updatedAt: new Date(), lockedBy: null, lockedUntil: null })
    .where(and(eq(replays.id, id), eq(replays.lockedBy, owner)));
  return true;
}

async function release(app: AppContext, id: string, owner: string) {
  await app.db
    .update(replays)
    .set({ lockedBy: null, lockedUntil: null, updatedAt: new Date() })
    .where(and(eq(replays.id, id), eq(replays.lockedBy, owner)));
}
