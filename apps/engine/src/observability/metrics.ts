import { type Executor, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import type { Logger } from "../lib/logger.ts";
import { type ReconciliationMetrics, registerReconciliationMetrics } from "./reconciliation-metrics.ts";
import { type Counter, type Gauge, type Histogram, LATENCY_BUCKETS, Registry } from "./registry.ts";

/** How an attempt (or a claim that made no call) ended, as counted by `ib_deliveries_total`. */
export type AttemptOutcome = "success" | "retry_scheduled" | "dlq" | "failed" | "postponed";

export interface EngineMetrics {
  registry: Registry;
  deliveries: Counter;
  attemptDuration: Histogram;
  eventsIngested: Counter;
  eventsDuplicate: Counter;
  taken: Counter;
  queue: Gauge;
  oldestDue: Gauge;
  circuit: Gauge;
  reconciliation: ReconciliationMetrics;
}

/** Where the metrics live: the app context (`ctx.app` in a verb), one registry per engine. */
interface WithMetrics {
  metrics: EngineMetrics;
}

/** Count an event accepted by ingest (`duplicate`: a repeat that created nothing). */
export function recordIngest(app: WithMetrics, options: { duplicate?: boolean; count?: number } = {}): void {
  const m = app.metrics;
  (options.duplicate ? m.eventsDuplicate : m.eventsIngested).inc(undefined, options.count ?? 1);
}

/** Count one delivery attempt's outcome and, when a call was made, its duration. */
export function recordAttempt(
  app: WithMetrics,
  attempt: { connectorId: string; outcome: AttemptOutcome; durationMs?: number | null },
): void {
  const m = app.metrics;
  m.deliveries.inc({ connector_id: attempt.connectorId, outcome: attempt.outcome });
  if (attempt.durationMs !== undefined && attempt.durationMs !== null)
    m.attemptDuration.observe({ connector_id: attempt.connectorId }, attempt.durationMs / 1000);
}

/** Count expectations the reconciliation sweep of this process marked MISSING. */
export function recordExpectationsMissing(app: WithMetrics, connectorId: string, count: number): void {
  app.metrics.reconciliation.missing.inc({ connector_id: connectorId }, count);
}

const OPEN_STATUSES = ["PENDING", "PROCESSING", "RETRY_SCHEDULED", "DLQ"] as const;
const CIRCUIT_STATES = ["closed", "half_open", "open"] as const;

/**
 * The engine's metrics: one registry per app context (built by `createContext`, not kept in a module), so
 * several engines in one test process stay apart. Gauges are read from `db` at scrape time.
 */
export function createEngineMetrics(ctx: { db: Executor; logger: Logger }): EngineMetrics {
  const registry = new Registry();
  const deliveries = registry.counter({
    name: "ib_deliveries_total",
    help: "Delivery attempts by connector and outcome (success, retry_scheduled, dlq, failed, postponed), counted by this process.",
    labelNames: ["connector_id", "outcome"],
  });
  const attemptDuration = registry.histogram({
    name: "ib_delivery_attempt_duration_seconds",
    help: "Duration of outbound delivery calls, by connector, measured by this process.",
    labelNames: ["connector_id"],
    buckets: LATENCY_BUCKETS,
  });
  const eventsIngested = registry.counter({
    name: "ib_events_ingested_total",
    help: "Events accepted by this process (rate() of it is the ingest rate).",
  });
  const eventsDuplicate = registry.counter({
    name: "ib_events_duplicate_total",
    help: "Repeated events answered from the original without creating anything.",
  });
  const taken = registry.counter({
    name: "ib_worker_deliveries_taken_total",
    help: "Deliveries this process's workers took: by a claim statement (how=claim), or straight from an ingest of this process (how=handoff).",
    labelNames: ["how"],
  });
  const queue = registry.gauge({
    name: "ib_deliveries_queue",
    help: "Deliveries not finished, by connector and status (read from the database at scrape time).",
    labelNames: ["connector_id", "status"],
  });
  const oldestDue = registry.gauge({
    name: "ib_oldest_due_delivery_age_seconds",
    help: "How long the oldest due PENDING or RETRY_SCHEDULED delivery has been waiting (0 when none is due).",
  });
  const circuit = registry.gauge({
    name: "ib_connector_circuit_state",
    help: "Circuit breaker state per connector: 1 for the current state (closed, half_open, open), 0 otherwise.",
    labelNames: ["connector_id", "state"],
  });
  const dbUp = registry.gauge({
    name: "ib_database_up",
    help: "1 when the scrape-time queries succeeded, 0 when the database did not answer.",
  });
  const rss = registry.gauge({ name: "process_resident_memory_bytes", help: "Resident memory size in bytes." });
  const heap = registry.gauge({ name: "nodejs_heap_used_bytes", help: "V8 heap in use, in bytes." });
  const startTime = registry.gauge({
    name: "process_start_time_seconds",
    help: "Start time of the process since the Unix epoch, in seconds.",
  });
  const started = Math.round(Date.now() / 1000 - process.uptime());

  registry.onCollect(async () => {
    const memory = process.memoryUsage();
    rss.set(undefined, memory.rss);
    heap.set(undefined, memory.heapUsed);
    startTime.set(undefined, started);
    try {
      await collectFromDatabase(ctx, { queue, oldestDue, circuit });
      dbUp.set(undefined, 1);
    } catch (error) {
      ctx.logger.warn({ err: error }, "metrics: database query failed");
      dbUp.set(undefined, 0);
    }
  });

  const reconciliation = registerReconciliationMetrics(registry, ctx);

  return {
    registry,
    deliveries,
    attemptDuration,
    eventsIngested,
    eventsDuplicate,
    taken,
    queue,
    oldestDue,
    circuit,
    reconciliation,
  };
}

async function collectFromDatabase(
  ctx: { db: Executor },
  gauges: { queue: Gauge; oldestDue: Gauge; circuit: Gauge },
): Promise<void> {
  // Only unfinished statuses: SUCCESS and FAILED grow without bound (their rate is ib_deliveries_total).
  const [queueRows, oldestRows, circuitRows] = await Promise.all([
    execute<{ connector_id: string; status: string; n: number | string }>(
      ctx.db,
      sql`select connector_id, status, count(*) as n from deliveries
          where status in ('PENDING', 'PROCESSING', 'RETRY_SCHEDULED', 'DLQ')
          group by connector_id, status`,
    ),
    execute<{ age: number | string | null }>(
      ctx.db,
      sql`select extract(epoch from (now() - min(next_attempt_at))) as age from deliveries
          where status in ('PENDING', 'RETRY_SCHEDULED') and next_attempt_at <= now()`,
    ),
    execute<{ id: string; circuit_state: string | null }>(
      ctx.db,
      sql`select c.id, r.circuit_state from connectors c
          left join connector_runtime r on r.connector_id = c.id`,
    ),
  ]);

  gauges.queue.reset();
  const connectorIds = new Set(circuitRows.map((r) => r.id));
  for (const id of connectorIds) for (const status of OPEN_STATUSES) gauges.queue.set({ connector_id: id, status }, 0);
  for (const row of queueRows) gauges.queue.set({ connector_id: row.connector_id, status: row.status }, Number(row.n));

  const age = Number(oldestRows[0]?.age ?? 0);
  gauges.oldestDue.set(undefined, Number.isFinite(age) && age > 0 ? age : 0);

  gauges.circuit.reset();
  for (const row of circuitRows) {
    const current = row.circuit_state ?? "closed";
    for (const state of CIRCUIT_STATES) gauges.circuit.set({ connector_id: row.id, state }, state === current ? 1 : 0);
  }
}
