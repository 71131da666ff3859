import { DELIVERY_STATUSES, type DeliveryStatus } from "@ib/core/delivery-state";
import { connectors, type Executor, execute } from "@ib/db";
import { eq, type SQL, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors.ts";
import { toDate } from "../../worker/claim.ts";

export type StatusCounts = Record<DeliveryStatus, number>;
export interface HourlyBucket {
  /** Start of the hour, ISO 8601 UTC. */
  hour: string;
  success: number;
  failure: number;
}
export interface LatencyMs {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

interface WindowNumbers {
  counts: StatusCounts;
  /** Deliveries that reached SUCCESS in the last 24 h. */
  success24h: number;
  /** Deliveries that reached FAILED or DLQ in the last 24 h. */
  failure24h: number;
  /** Attempts made (HTTP calls and permanent failures) in the last 24 h. */
  attempts24h: number;
  /** success24h / (success24h + failure24h); null when nothing finished. */
  successRate: number | null;
  /** Of successful attempts in the last 24 h. */
  latencyMs: LatencyMs;
  /** Deliveries in the DLQ right now. */
  dlqOpen: number;
  /** The last 24 hours, oldest first, 24 buckets (the current hour included). */
  hourly: HourlyBucket[];
}

const n = (v: unknown) => Number(v ?? 0);
const ms = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

async function windowNumbers(db: Executor, connectorId?: string): Promise<WindowNumbers> {
  const onDelivery: SQL = connectorId ? sql`and connector_id = ${connectorId}` : sql``;
  const [countRows, doneRows, attemptRows, hourRows] = await Promise.all([
    execute<{ status: string; n: unknown }>(
      db,
      sql`select status, count(*) as n from deliveries where true ${onDelivery} group by status`,
    ),
    execute<{ s: unknown; f: unknown }>(
      db,
      sql`select count(*) filter (where status = 'SUCCESS') as s,
                 count(*) filter (where status in ('FAILED', 'DLQ')) as f
          from deliveries where completed_at >= now() - interval '24 hours' ${onDelivery}`,
    ),
    execute<{ n: unknown; p50: unknown; p95: unknown; p99: unknown }>(
      db,
      sql`select count(*) as n,
            percentile_cont(0.5) within group (order by duration_ms) filter (where outcome = 'SUCCESS') as p50,
            percentile_cont(0.95) within group (order by duration_ms) filter (where outcome = 'SUCCESS') as p95,
            percentile_cont(0.99) within group (order by duration_ms) filter (where outcome = 'SUCCESS') as p99
          from delivery_attempts where started_at >= now() - interval '24 hours' ${onDelivery}`,
    ),
    execute<{ hour: unknown; s: unknown; f: unknown }>(
      db,
      // Hours counted from the epoch: UTC by construction, whatever the session time zone.
      sql`select floor(extract(epoch from completed_at) / 3600)::bigint as hour,
                 count(*) filter (where status = 'SUCCESS') as s,
                 count(*) filter (where status in ('FAILED', 'DLQ')) as f
          from deliveries
          where completed_at >= to_timestamp(${firstHourMs() / 1000}::double precision) ${onDelivery}
          group by 1`,
    ),
  ]);
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of countRows) if (r.status in counts) counts[r.status as DeliveryStatus] = n(r.n);
  const success24h = n(doneRows[0]?.s);
  const failure24h = n(doneRows[0]?.f);
  const a = attemptRows[0];
  return {
    counts,
    success24h,
    failure24h,
    attempts24h: n(a?.n),
    successRate: success24h + failure24h > 0 ? success24h / (success24h + failure24h) : null,
    latencyMs: { p50: ms(a?.p50), p95: ms(a?.p95), p99: ms(a?.p99) },
    dlqOpen: counts.DLQ,
    hourly: fillHours(hourRows),
  };
}

function firstHourMs(): number {
  return Math.floor(Date.now() / 3_600_000) * 3_600_000 - 23 * 3_600_000;
}

function fillHours(rows: { hour: unknown; s: unknown; f: unknown }[]): HourlyBucket[] {
  const byHour = new Map<number, { s: number; f: number }>();
  for (const r of rows) byHour.set(n(r.hour) * 3_600_000, { s: n(r.s), f: n(r.f) });
  const first = firstHourMs();
  const out: HourlyBucket[] = [];
  for (let i = 0; i < 24; i++) {
    const at = first + i * 3_600_000;
    const v = byHour.get(at);
    out.push({ hour: new Date(at).toISOString(), success: v?.s ?? 0, failure: v?.f ?? 0 });
  }
  return out;
}

export interface CircuitView {
  state: "closed" | "open" | "half_open";
  consecutiveFailures: number;
  openUntil: string | null;
}

/** `GET /connectors/:id/metrics`. */
export async function getConnectorMetrics({ db, connectorId }: { db: Executor; connectorId: string }) {
  const [connector] = await db
    .select({ id: connectors.id, name: connectors.name, enabled: connectors.enabled })
    .from(connectors)
    .where(eq(connectors.id, connectorId));
  if (!connector) throw new ApiError("NOT_FOUND", `Connector ${connectorId} does not exist`);
  const [numbers, runtime] = await Promise.all([
    windowNumbers(db, connectorId),
    execute<{ circuit_state: string; consecutive_failures: unknown; circuit_open_until: unknown }>(
      db,
      sql`select circuit_state, consecutive_failures, circuit_open_until from connector_runtime
          where connector_id = ${connectorId}`,
    ),
  ]);
  const r = runtime[0];
  const circuit: CircuitView = {
    state: (r?.circuit_state as CircuitView["state"]) ?? "closed",
    consecutiveFailures: n(r?.consecutive_failures),
    openUntil: toDate(r?.circuit_open_until)?.toISOString() ?? null,
  };
  return {
    connectorId: connector.id,
    name: connector.name,
    enabled: connector.enabled,
    ...numbers,
    circuitState: circuit.state,
    circuit,
    generatedAt: new Date().toISOString(),
  };
}

/** `GET /metrics`: the whole engine, plus a one-line summary per connector. */
export async function getGlobalMetrics({ db }: { db: Executor }) {
  const [numbers, perConnector] = await Promise.all([
    windowNumbers(db),
    execute<{
      id: string;
      name: string;
      enabled: boolean;
      circuit_state: string | null;
      s: unknown;
      f: unknown;
      dlq: unknown;
    }>(
      db,
      sql`select c.id, c.name, c.enabled, r.circuit_state,
            (select count(*) from deliveries d where d.connector_id = c.id and d.status = 'SUCCESS'
               and d.completed_at >= now() - interval '24 hours') as s,
            (select count(*) from deliveries d where d.connector_id = c.id and d.status in ('FAILED', 'DLQ')
               and d.completed_at >= now() - interval '24 hours') as f,
            (select count(*) from deliveries d where d.connector_id = c.id and d.status = 'DLQ') as dlq
          from connectors c left join connector_runtime r on r.connector_id = c.id
          order by c.name, c.id`,
    ),
  ]);
  const list = perConnector.map((c) => ({
    id: c.id,
    name: c.name,
    enabled: c.enabled === true || (c.enabled as unknown) === "t",
    success24h: n(c.s),
    failure24h: n(c.f),
    dlqOpen: n(c.dlq),
    circuitState: (c.circuit_state ?? "closed") as CircuitView["state"],
  }));
  return {
    connectorsActive: list.filter((c) => c.enabled).length,
    connectorsTotal: list.length,
    ...numbers,
    circuitsOpen: list.filter((c) => c.circuitState !== "closed").length,
    connectors: list,
    generatedAt: new Date().toISOString(),
  };
}
