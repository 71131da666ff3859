import type { BackgroundService } from "../background-service.ts";
import { type AppContext, systemContext } from "../context.ts";
import { type PruneResult, pruneOldData } from "./prune.ts";

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  intervalMs?: number;
  /** Delay before the first run after start. */
  firstRunMs?: number;
  batchSize?: number;
  retentionDays?: number;
}

/**
 * Prunes events and finished deliveries older than IB_RETENTION_DAYS every IB_RETENTION_INTERVAL_MS,
 * in batches of IB_RETENTION_BATCH_SIZE with a pause between them, so delivery never waits on it.
 * Several processes may run it at once: batches skip rows another one has locked.
 */
export function retentionService(
  ctx: AppContext,
  options: RetentionOptions = {},
): BackgroundService & {
  runOnce(now?: Date): Promise<PruneResult>;
} {
  const intervalMs = options.intervalMs ?? ctx.env.IB_RETENTION_INTERVAL_MS;
  const batchSize = options.batchSize ?? ctx.env.IB_RETENTION_BATCH_SIZE;
  const retentionDays = options.retentionDays ?? ctx.env.IB_RETENTION_DAYS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function runOnce(now = new Date()): Promise<PruneResult> {
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    const started = performance.now();
    const result = await pruneOldData({
      ctx: systemContext(ctx),
      input: {
        cutoff,
        batchSize,
        maxBatches: 10_000,
        shouldStop: () => stopped,
        pause: () => new Promise((resolve) => setTimeout(resolve, 10)),
      },
    });
    if (result.deliveries || result.events || result.expectations || result.unexpectedEvents) {
      ctx.logger.info(
        { retentionDays, cutoff: cutoff.toISOString(), ...result, ms: Math.round(performance.now() - started) },
        "retention: pruned old events and deliveries",
      );
    }
    return result;
  }

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error) => ctx.logger.warn({ err: error }, "retention run failed; will retry at the next interval"))
        .finally(() => {
          running = undefined;
          schedule(intervalMs);
        });
    }, delay);
    timer.unref();
  };

  return {
    name: "retention",
    runOnce,
    start() {
      stopped = false;
      schedule(options.firstRunMs ?? Math.min(60_000, intervalMs));
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
