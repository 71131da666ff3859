import { type Executor, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import type { Logger } from "../lib/logger.ts";
import type { Counter, Gauge, Registry } from "./registry.ts";

export interface ReconciliationMetrics {
  /** Expectations this process marked MISSING (the sweep changes each row in one process only). */
  missing: Counter;
  /** OPEN expectations now, per connector (read from the database at scrape time). */
  open: Gauge;
}

/**
 * Reconciliation's metrics (DESIGN §14): `ib_expectations_missing_total` and `ib_expectations_open`, both
 * per connector. Every connector with an `expect` gets its series from the first scrape (at 0), so
 * `increase()` has a starting point.
 */
export function registerReconciliationMetrics(
  registry: Registry,
  ctx: { db: Executor; logger: Logger },
): ReconciliationMetrics {
  const missing = registry.counter({
    name: "ib_expectations_missing_total",
    help: "Expectations marked MISSING (no confirmation within withinMs) by this process, by connector.",
    labelNames: ["connector_id"],
  });
  const open = registry.gauge({
    name: "ib_expectations_open",
    help: "Expectations waiting for their confirmation event (OPEN), by connector (read from the database at scrape time).",
    labelNames: ["connector_id"],
  });
  registry.onCollect(async () => {
    try {
      const [expecting, counts] = await Promise.all([
        execute<{ id: string }>(ctx.db, sql`select id from connectors where expect is not null`),
        execute<{ connector_id: string; n: number | string }>(
          ctx.db,
          sql`select connector_id, count(*) as n from expectations where status = 'OPEN' group by connector_id`,
        ),
      ]);
      open.reset();
      for (const { id } of expecting) {
        missing.inc({ connector_id: id }, 0);
        open.set({ connector_id: id }, 0);
      }
      for (const row of counts) open.set({ connector_id: row.connector_id }, Number(row.n));
    } catch (error) {
      ctx.logger.warn({ err: error }, "metrics: reconciliation query failed");
    }
  });
  return { missing, open };
}
