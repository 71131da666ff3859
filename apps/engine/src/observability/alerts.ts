import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import type { BackgroundService } from "../background-service.ts";
import type { AppContext } from "../context.ts";
import type { Logger } from "../lib/logger.ts";

/**
 * `connector_disabled` is logged by the worker when a destination answers 410 Gone (worker/gone.ts);
 * `expectation_missing` by the reconciliation sweep and `expectation_mismatch` when a confirmation
 * disagrees (src/reconciliation).
 */
export type AlertKind =
  | "circuit_open"
  | "dlq_growing"
  | "connector_disabled"
  | "expectation_missing"
  | "expectation_mismatch";

export interface Alert {
  alert: AlertKind;
  connectorId: string;
  [key: string]: unknown;
}

interface Snapshot {
  dlq: Map<string, number>;
  open: Set<string>;
}

/**
 * Compares the database with the previous look and returns what deserves an alert: a connector
 * whose circuit is open now and was not before, or whose DLQ grew. The first look only sets the
 * baseline for the DLQ (an engine restart must not re-alert on an old DLQ), but an open circuit
 * is reported at once.
 */
export async function checkAlerts(ctx: AppContext, previous: Snapshot | undefined) {
  const [dlqRows, circuitRows] = await Promise.all([
    execute<{ connector_id: string; n: number | string }>(
      ctx.db,
      sql`select connector_id, count(*) as n from deliveries where status = 'DLQ' group by connector_id`,
    ),
    execute<{ connector_id: string; circuit_open_until: string | Date | null; consecutive_failures: number }>(
      ctx.db,
      sql`select connector_id, circuit_open_until, consecutive_failures from connector_runtime
          where circuit_state = 'open'`,
    ),
  ]);
  const next: Snapshot = {
    dlq: new Map(dlqRows.map((r) => [r.connector_id, Number(r.n)])),
    open: new Set(circuitRows.map((r) => r.connector_id)),
  };
  const alerts: Alert[] = [];
  for (const row of circuitRows) {
    if (previous?.open.has(row.connector_id)) continue;
    alerts.push({
      alert: "circuit_open",
      connectorId: row.connector_id,
      consecutiveFailures: row.consecutive_failures,
      openUntil: row.circuit_open_until ? new Date(row.circuit_open_until).toISOString() : null,
    });
  }
  if (previous) {
    for (const [connectorId, dlqOpen] of next.dlq) {
      const before = previous.dlq.get(connectorId) ?? 0;
      if (dlqOpen > before) alerts.push({ alert: "dlq_growing", connectorId, dlqOpen, added: dlqOpen - before });
    }
  }
  return { alerts, snapshot: next };
}

/** One alert line: level warn, `"alert": "<kind>"`, message `alert: <kind in words>`. */
export function logAlert(logger: Logger, alert: Alert): void {
  logger.warn(alert, `alert: ${alert.alert.replaceAll("_", " ")}`);
}

/**
 * Writes alert-worthy conditions to the log as structured lines (`"alert": "<kind>"`, level warn),
 * so a log pipeline can page on them without scraping /metrics. Runs every IB_ALERT_INTERVAL_MS.
 */
export function alertMonitor(ctx: AppContext, options: { intervalMs?: number } = {}): BackgroundService {
  const intervalMs = options.intervalMs ?? ctx.env.IB_ALERT_INTERVAL_MS;
  let snapshot: Snapshot | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = async () => {
    try {
      const result = await checkAlerts(ctx, snapshot);
      snapshot = result.snapshot;
      for (const alert of result.alerts) logAlert(ctx.logger, alert);
    } catch (error) {
      ctx.logger.debug({ err: error }, "alert check failed; trying again at the next interval");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };

  return {
    name: "alerts",
    start() {
      stopped = false;
      running = tick().finally(() => {
        running = undefined;
        schedule();
      });
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
