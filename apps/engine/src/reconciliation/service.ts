import type { BackgroundService } from "../background-service.ts";
import { type AppContext, systemContext } from "../context.ts";
import { type SweepResult, sweepExpectations } from "./sweep.ts";

export interface ReconciliationOptions {
  intervalMs?: number;
  batchSize?: number;
}

/**
 * Runs the reconciliation sweep (`sweep.ts`) every IB_RECONCILIATION_INTERVAL_MS in every worker process:
 * expired expectations become MISSING (alert + metric, once across all processes) and early
 * confirmations find the expectation that opened after them.
 */
export function reconciliationService(
  ctx: AppContext,
  options: ReconciliationOptions = {},
): BackgroundService & { runOnce(): Promise<SweepResult> } {
  const intervalMs = options.intervalMs ?? ctx.env.IB_RECONCILIATION_INTERVAL_MS;
  const batchSize = options.batchSize ?? ctx.env.IB_RECONCILIATION_BATCH_SIZE;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  const runOnce = () => sweepExpectations(systemContext(ctx), { batchSize, shouldStop: () => stopped });

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error) =>
          ctx.logger.warn({ err: error }, "reconciliation sweep failed; trying again at the next interval"),
        )
        .finally(() => {
          running = undefined;
          schedule(intervalMs);
        });
    }, delay);
    timer.unref();
  };

  return {
    name: "reconciliation",
    runOnce: () => sweepExpectations(systemContext(ctx), { batchSize }),
    start() {
      stopped = false;
      schedule(0);
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
