import type { BackgroundService } from "../background.ts";
import { type AppContext, WORK_CHANNEL } from "../context.ts";
import { processInboundWebhooks } from "./process-webhooks.ts";

/**
 * Turns stored, verified inbound webhooks into internal events. Wakes on the work channel (a webhook
 * route notifies it after storing one) and polls every IB_WORKER_POLL_MS as a fallback; drains in
 * batches until nothing is due. Safe to run in every worker process.
 */
export function inboundService(ctx: AppContext): BackgroundService & { runOnce(): Promise<number> } {
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let unlisten: (() => Promise<void>) | undefined;

  async function drain() {
    do {
      again = false;
      while (!stopped && (await processInboundWebhooks(ctx)) > 0) {}
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
    runOnce: () => processInboundWebhooks(ctx),
    async start() {
      stopped = false;
      unlisten = await ctx.dbHandle.listen(WORK_CHANNEL, () => kick());
      timer = setInterval(kick, ctx.env.IB_WORKER_POLL_MS);
      timer.unref();
      kick();
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearInterval(timer);
      await unlisten?.().catch(() => {});
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
