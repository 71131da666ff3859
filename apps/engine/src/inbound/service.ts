import type { BackgroundService } from "../background-service.ts";
import { type AppContext, INBOUND_CHANNEL, systemContext } from "../context.ts";
import { processInboundWebhooks } from "./process-webhooks.ts";
import { pruneInboundWebhooks } from "./prune-webhooks.ts";

const DAY_MS = 86_400_000;

/**
 * Turns stored, verified inbound webhooks into internal events. Wakes on the work channel (a webhook
 * route notifies it after storing one) and polls every IB_WORKER_POLL_MS as a fallback; drains in
 * batches until nothing is due. Every IB_RETENTION_INTERVAL_MS it also deletes finished webhooks older
 * than IB_RETENTION_DAYS. Safe to run in every worker process.
 */
export function inboundService(
  ctx: AppContext,
): BackgroundService & { runOnce(): Promise<number>; prune(now?: Date): Promise<number> } {
  const system = systemContext(ctx);
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let unlisten: (() => Promise<void>) | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;

  async function prune(now = new Date()) {
    const cutoff = new Date(now.getTime() - ctx.env.IB_RETENTION_DAYS * DAY_MS);
    const deleted = await pruneInboundWebhooks({
      ctx: system,
      input: { cutoff, batchSize: ctx.env.IB_RETENTION_BATCH_SIZE },
    });
    if (deleted) ctx.logger.info({ deleted, cutoff: cutoff.toISOString() }, "retention: pruned old inbound webhooks");
    return deleted;
  }

  async function drain() {
    do {
      again = false;
      while (!stopped && (await processInboundWebhooks({ ctx: system })) > 0) {}
    } while (again && !stopped);
  }

  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error) => ctx.logger.warn({ err: error }, "inbound webhook pass failed; retrying at the next poll"))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    name: "inbound-webhooks",
    runOnce: () => processInboundWebhooks({ ctx: system }),
    prune,
    async start() {
      stopped = false;
      unlisten = await ctx.dbHandle.listen(INBOUND_CHANNEL, () => kick());
      timer = setInterval(kick, ctx.env.IB_WORKER_POLL_MS);
      timer.unref();
      pruneTimer = setInterval(() => {
        if (!stopped) prune().catch((error) => ctx.logger.warn({ err: error }, "inbound webhook pruning failed"));
      }, ctx.env.IB_RETENTION_INTERVAL_MS);
      pruneTimer.unref();
      kick();
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearInterval(timer);
      if (pruneTimer) clearInterval(pruneTimer);
      await unlisten?.().catch(() => {});
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
