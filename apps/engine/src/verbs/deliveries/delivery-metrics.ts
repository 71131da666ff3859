import type { CircuitState, HourlyOutcomes } from "@ib/core/contracts/metrics";
import { DELIVERY_STATUSES, type DeliveryStatus } from "@ib/core/delivery-state";
import { connectors, type Executor, execute } from "@ib/db";
import { eq, type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { toDate } from "../../worker/claim.ts";

export type StatusCounts = Record<DeliveryStatus, number>;
/** One hour of attempt outcomes, as the metrics contract (`@ib/core/contracts/metrics`) defines it. */
export type HourlyBucket = HourlyOutcomes;
export interface LatencyMs {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * Outcomes of the attempts started in the last 24 h. Counted from `delivery_attempts`, never from a
 * delivery's current status: a retry-DLQ moves a delivery back to PENDING but its failure stays counted.
 */
export interface Outcomes24h {
  /** Deliveries that ended successfully: attempts with outcome SUCCESS. */
  success24h: number;
  /** Deliveries that ended failed: attempts with outcome DLQ or FAILED (kept after a retry-DLQ). */
  failure24h: number;
  /** Attempts that did not succeed: the failures above plus the ones that were retried. */
  failedAttempts24h: number;
  /** Every attempt (HTTP calls and permanent failures). */
  attempts24h: number;
}

interface WindowNumbers extends Outcomes24h {
  counts: StatusCounts;
  /** success24h / (success24h + failure24h); null when nothing finished. */
  successRate: number | null;
  /** Of successful attempts in the last 24 h. */
  latencyMs: LatencyMs;
  /** Deliveries in the DLQ right now. */
  dlqOpen: number;
  /** The last 24 hours, oldest first, 24 buckets (the current hour included). */
  hourly: HourlyBucket[];
}

const HOUR_MS = 3_600_000;
const n = (v: unknown) => Number(v ?? 0);
const ms = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/** One clock for a whole answer: attempts are stamped by the engine's clock, so the window is too. */
function window24h(now = Date.now()) {
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  return { since: new Date(now - 24 * HOUR_MS).toISOString(), firstHour: currentHour - 23 * HOUR_MS };
}

/**
 * Per-hour outcome counts of one connector's attempts since `since`: a range scan of the
 * (connector_id, started_at) index. Hours are counted from the epoch (UTC whatever the session time zone).
 */
const attemptOutcomes = (connectorId: SQL, since: string) => sql`
  select floor(extract(epoch from a.started_at) / 3600)::bigint as hour,
         count(*) as n,
         count(*) filter (where a.outcome = 'SUCCESS') as s,
         count(*) filter (where a.outcome in ('DLQ', 'FAILED')) as f,
         count(*) filter (where a.outcome <> 'SUCCESS') as fa
  from delivery_attempts a
  where a.connector_id = ${connectorId} and a.started_at >= ${since}::timestamptz
  group by 1`;

type OutcomeRow = { hour: unknown; n: unknown; s: unknown; f: unknown; fa: unknown };

const outcomesOf = (r: OutcomeRow | undefined): Outcomes24h => ({
  success24h: n(r?.s),
  failure24h: n(r?.f),
  failedAttempts24h: n(r?.fa),
  attempts24h: n(r?.n),
});

function sumOutcomes(rows: Outcomes24h[]): Outcomes24h {
  const t: Outcomes24h = { success24h: 0, failure24h: 0, failedAttempts24h: 0, attempts24h: 0 };
  for (const r of rows) {
    t.success24h += r.success24h;
    t.failure24h += r.failure24h;
    t.failedAttempts24h += r.failedAttempts24h;
    t.attempts24h += r.attempts24h;
  }
  return t;
}

/** 24 buckets from `firstHour`; hours before it (the partial 25th hour of the window) count in the totals only. */
function fillHours(rows: OutcomeRow[], firstHour: number): HourlyBucket[] {
  const byHour = new Map(rows.map((r) => [n(r.hour) * HOUR_MS, r]));
  return Array.from({ length: 24 }, (_, i) => {
    const at = firstHour + i * HOUR_MS;
    const r = byHour.get(at);
    return { hour: new Date(at).toISOString(), success: n(r?.s), failure: n(r?.f), failedAttempts: n(r?.fa) };
  });
}

function assemble(
  countRows: { status: string; n: unknown }[],
  outcomes: Outcomes24h,
  latency: { p50: unknown; p95: unknown; p99: unknown } | undefined,
  hourly: HourlyBucket[],
): WindowNumbers {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of countRows) if (r.status in counts) counts[r.status as DeliveryStatus] = n(r.n);
  const ended = outcomes.success24h + outcomes.failure24h;
  return {
    counts,
    ...outcomes,
    successRate: ended > 0 ? outcomes.success24h / ended : null,
    latencyMs: { p50: ms(latency?.p50), p95: ms(latency?.p95), p99: ms(latency?.p99) },
    dlqOpen: counts.DLQ,
    hourly,
  };
}

const percentiles = sql`
  percentile_cont(0.5) within group (order by duration_ms) as p50,
  percentile_cont(0.95) within group (order by duration_ms) as p95,
  percentile_cont(0.99) within group (order by duration_ms) as p99`;

async function connectorWindow(db: Executor, connectorId: string): Promise<WindowNumbers> {
  const { since, firstHour } = window24h();
  const [countRows, hourRows, latencyRows] = await Promise.all([
    execute<{ status: string; n: unknown }>(
      db,
      sql`select status, count(*) as n from deliveries where connector_id = ${connectorId} group by status`,
    ),
    execute<OutcomeRow>(db, attemptOutcomes(sql`${connectorId}`, since)),
    execute<{ p50: unknown; p95: unknown; p99: unknown }>(
      db,
      sql`select ${percentiles} from delivery_attempts
          where connector_id = ${connectorId} and started_at >= ${since}::timestamptz and outcome = 'SUCCESS'`,
    ),
  ]);
  return assemble(countRows, sumOutcomes(hourRows.map(outcomesOf)), latencyRows[0], fillHours(hourRows, firstHour));
}

/**
 * The whole engine: each connector's attempts are read through the (connector_id, started_at) index (a
 * lateral join per connector; attempts are deleted with their connector, so the connectors cover them
 * all), summed once by connector and once by hour.
 */
async function globalWindow(db: Executor): Promise<{ numbers: WindowNumbers; perConnector: Map<string, Outcomes24h> }> {
  const { since, firstHour } = window24h();
  const [countRows, groupedRows, latencyRows] = await Promise.all([
    execute<{ status: string; n: unknown }>(db, sql`select status, count(*) as n from deliveries group by status`),
    execute<OutcomeRow & { connector_id: string | null; by_hour: unknown }>(
      db,
      sql`select o.connector_id, o.hour, grouping(o.hour) = 0 as by_hour,
                 sum(o.n) as n, sum(o.s) as s, sum(o.f) as f, sum(o.fa) as fa
          from connectors c
          cross join lateral (select c.id as connector_id, x.* from (${attemptOutcomes(sql`c.id`, since)}) x) o
          group by grouping sets ((o.connector_id), (o.hour))`,
    ),
    execute<{ p50: unknown; p95: unknown; p99: unknown }>(
      db,
      // offset 0 keeps the subquery a per-connector index scan instead of letting the planner flatten it
      // into a join that reads the whole table.
      sql`select ${percentiles} from connectors c
          cross join lateral (
            select a.duration_ms from delivery_attempts a
            where a.connector_id = c.id and a.started_at >= ${since}::timestamptz and a.outcome = 'SUCCESS'
            offset 0
          ) a`,
    ),
  ]);
  const isHour = (r: { by_hour: unknown }) => r.by_hour === true || r.by_hour === "t";
  const perConnector = new Map<string, Outcomes24h>();
  for (const r of groupedRows) if (!isHour(r) && r.connector_id) perConnector.set(r.connector_id, outcomesOf(r));
  const numbers = assemble(
    countRows,
    sumOutcomes([...perConnector.values()]),
    latencyRows[0],
    fillHours(groupedRows.filter(isHour), firstHour),
  );
  return { numbers, perConnector };
}

export interface CircuitView {
  state: CircuitState;
  consecutiveFailures: number;
  openUntil: string | null;
}

/** `GET /connectors/:id/metrics`. */
export async function getConnectorMetrics({ ctx, input }: { ctx: ServiceContext; input: { connectorId: string } }) {
  const { db } = ctx;
  const { connectorId } = input;
  const [connector] = await db
    .select({ id: connectors.id, name: connectors.name, enabled: connectors.enabled })
    .from(connectors)
    .where(eq(connectors.id, connectorId));
  if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
  const [numbers, runtime] = await Promise.all([
    connectorWindow(db, connectorId),
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
export async function getGlobalMetrics({ ctx }: { ctx: ServiceContext }) {
  const { db } = ctx;
  const [{ numbers, perConnector }, connectorRows] = await Promise.all([
    globalWindow(db),
    execute<{ id: string; name: string; enabled: boolean; circuit_state: string | null; dlq: unknown }>(
      db,
      sql`select c.id, c.name, c.enabled, r.circuit_state,
            (select count(*) from deliveries d where d.connector_id = c.id and d.status = 'DLQ') as dlq
          from connectors c left join connector_runtime r on r.connector_id = c.id
          order by c.name, c.id`,
    ),
  ]);
  const list = connectorRows.map((c) => {
    const o = perConnector.get(c.id) ?? outcomesOf(undefined);
    return {
      id: c.id,
      name: c.name,
      enabled: c.enabled === true || (c.enabled as unknown) === "t",
      success24h: o.success24h,
      failure24h: o.failure24h,
      failedAttempts24h: o.failedAttempts24h,
      dlqOpen: n(c.dlq),
      circuitState: (c.circuit_state ?? "closed") as CircuitView["state"],
    };
  });
  return {
    connectorsActive: list.filter((c) => c.enabled).length,
    connectorsTotal: list.length,
    ...numbers,
    circuitsOpen: list.filter((c) => c.circuitState !== "closed").length,
    connectors: list,
    generatedAt: new Date().toISOString(),
  };
}
