import type { BackgroundService } from "../background-service.ts";
import { type AppContext, systemContext } from "../context.ts";
import { buildReport } from "./build-report.ts";
import { pushReport, ReportPushError } from "./push-report.ts";

const RETRY_BASE_MS = 1000;

/** Backoff before retry n (1-based) of a failed push: 1 s, 2 s, 4 s … with jitter, never beyond the interval. */
export function retryDelayMs(attempt: number, intervalMs: number, random = Math.random): number {
  const exp = Math.min(intervalMs, RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 20));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Pushes a report to the control plane every IB_REPORT_INTERVAL_MS. A failed push is logged and
 * retried with backoff; it runs on its own timer, so nothing in the delivery path ever waits on it.
 */
export function controlPlaneReporter(ctx: AppContext): BackgroundService {
  const interval = ctx.env.IB_REPORT_INTERVAL_MS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let abort: AbortController | undefined;
  let stopped = false;
  let failures = 0;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = cycle().finally(() => {
        running = undefined;
      });
    }, ms);
    timer.unref();
  };

  async function cycle() {
    abort = new AbortController();
    try {
      const system = systemContext(ctx);
      const report = await buildReport({ ctx: system });
      const { status } = await pushReport({ ctx: system, input: { report, signal: abort.signal } });
      if (failures > 0) ctx.logger.info({ failures, status }, "control plane reachable again; report pushed");
      else ctx.logger.debug({ status, instanceId: report.instanceId }, "report pushed to the control plane");
      failures = 0;
      schedule(interval);
    } catch (error) {
      if (stopped) return;
      failures++;
      const next = retryDelayMs(failures, interval);
      ctx.logger.warn(
        {
          attempt: failures,
          status: error instanceof ReportPushError ? error.status : undefined,
          err: { message: error instanceof Error ? error.message : String(error) },
          retryInMs: next,
        },
        "could not push the report to the control plane; will retry",
      );
      schedule(next);
    }
  }

  return {
    name: "control-plane-reporter",
    start() {
      if (!ctx.env.IB_CONTROL_PLANE_TOKEN) {
        ctx.logger.warn(
          "IB_CONTROL_PLANE_URL is set but IB_CONTROL_PLANE_TOKEN is not: the control plane will refuse reports",
        );
      }
      ctx.logger.info({ url: ctx.env.IB_CONTROL_PLANE_URL, intervalMs: interval }, "reporting to the control plane");
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort?.abort();
      await running;
    },
  };
}
