import { type Database, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import type { ControlPlaneEnv } from "./env.ts";
import type { HourlyCount, ReportedConnector } from "./schema.ts";

export interface InstanceSummary {
  instanceId: string;
  /** What people call it (`IB_INSTANCE_NAME`, default its host name); the id for engines that do not send one. */
  name: string;
  lastReportAt: string;
  generatedAt: string;
  reportIntervalMs: number;
  staleAfterMs: number;
  stale: boolean;
  connectorsActive: number;
  connectorsTotal: number;
  /** Deliveries that ended successfully in the 24 h before the report. */
  success24h: number;
  /** Deliveries that ended failed (DLQ or FAILED). */
  failure24h: number;
  /** Attempts that did not succeed; null when the engine does not report them (older versions). */
  failedAttempts24h: number | null;
  /** failure / (success + failure); null when nothing finished in 24 h. */
  failureRate: number | null;
  dlqOpen: number;
  /** Reconciliation expectations in MISSING; null when the engine does not report them (older versions). */
  expectationsMissing: number | null;
  connectors: ReportedConnector[] | null;
}

export interface Dashboard {
  generatedAt: string;
  totals: {
    instances: number;
    instancesStale: number;
    connectorsActive: number;
    connectorsTotal: number;
    success24h: number;
    failure24h: number;
    /** Summed over the instances that report it; null when none does. */
    failedAttempts24h: number | null;
    failureRate: number | null;
    dlqOpen: number;
    /** Summed over the instances that report it; null when none does. */
    expectationsMissing: number | null;
  };
  instances: InstanceSummary[];
  /**
   * The last 24 hours, oldest first. `hourly`: deliveries finished in each hour, summed over the
   * latest report of every instance that sends hour-by-hour counts. `trailing` (when none does): the
   * fleet's trailing-24 h counts as reported in each hour. `failedAttempts` is null in an hour where no
   * instance reports it.
   */
  series: { hour: string; success: number; failure: number; failedAttempts: number | null; instances: number }[];
  seriesKind: "hourly" | "trailing";
}

type Row = {
  instance_id: string;
  instance_name: string | null;
  received_at: Date | string;
  generated_at: Date | string;
  connectors_active: number;
  connectors_total: number;
  success_24h: number;
  failure_24h: number;
  failed_attempts_24h: number | null;
  dlq_open: number;
  expectations_missing: number | null;
  report_interval_ms: number | null;
  connectors: ReportedConnector[] | string | null;
  hourly: HourlyCount[] | string | null;
};

const parseJson = <T>(v: T | string | null): T | null => (typeof v === "string" ? (JSON.parse(v) as T) : v);

const HOUR = 60 * 60 * 1000;
const iso = (v: Date | string) => new Date(v).toISOString();
const rate = (success: number, failure: number) => (success + failure > 0 ? failure / (success + failure) : null);

/** Everything the dashboard shows, computed from each instance's latest report and the stored history. */
export async function getDashboard(
  db: Database,
  env: Pick<ControlPlaneEnv, "CP_STALE_AFTER_MS" | "CP_DEFAULT_REPORT_INTERVAL_MS">,
  now = new Date(),
): Promise<Dashboard> {
  const latest = await execute<Row>(
    db,
    sql`select distinct on (instance_id) instance_id, instance_name, received_at, generated_at, connectors_active,
          connectors_total, success_24h, failure_24h, failed_attempts_24h, dlq_open, expectations_missing, report_interval_ms,
          connectors, hourly
        from integration_builder_reports
        order by instance_id, received_at desc, id desc`,
  );
  const instances: InstanceSummary[] = latest.map((r) => {
    const reportIntervalMs = r.report_interval_ms ?? env.CP_DEFAULT_REPORT_INTERVAL_MS;
    const staleAfterMs = env.CP_STALE_AFTER_MS ?? 3 * reportIntervalMs;
    const lastReportAt = iso(r.received_at);
    return {
      instanceId: r.instance_id,
      name: r.instance_name ?? r.instance_id,
      lastReportAt,
      generatedAt: iso(r.generated_at),
      reportIntervalMs,
      staleAfterMs,
      stale: now.getTime() - new Date(lastReportAt).getTime() > staleAfterMs,
      connectorsActive: Number(r.connectors_active),
      connectorsTotal: Number(r.connectors_total),
      success24h: Number(r.success_24h),
      failure24h: Number(r.failure_24h),
      failedAttempts24h: r.failed_attempts_24h === null ? null : Number(r.failed_attempts_24h),
      failureRate: rate(Number(r.success_24h), Number(r.failure_24h)),
      dlqOpen: Number(r.dlq_open),
      expectationsMissing: r.expectations_missing === null ? null : Number(r.expectations_missing),
      connectors: parseJson(r.connectors),
    };
  });
  // Problems first: stale instances, then the ones with an open DLQ, then by name (and id).
  instances.sort(
    (a, b) =>
      Number(b.stale) - Number(a.stale) ||
      Number(b.dlqOpen > 0) - Number(a.dlqOpen > 0) ||
      a.name.localeCompare(b.name) ||
      a.instanceId.localeCompare(b.instanceId),
  );

  const sum = (key: "connectorsActive" | "connectorsTotal" | "success24h" | "failure24h" | "dlqOpen") =>
    instances.reduce((n, i) => n + i[key], 0);
  const success24h = sum("success24h");
  const failure24h = sum("failure24h");
  const attemptCounts = instances.map((i) => i.failedAttempts24h).filter((v): v is number => v !== null);
  const missingCounts = instances.map((i) => i.expectationsMissing).filter((v): v is number => v !== null);

  const firstHour = Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR;
  const hourlyReports = latest.map((r) => parseJson(r.hourly)).filter((h): h is HourlyCount[] => Array.isArray(h));
  const series = hourlyReports.length
    ? hourlySeries(hourlyReports, firstHour)
    : await trailingSeries(db, firstHour, now);

  return {
    generatedAt: now.toISOString(),
    totals: {
      instances: instances.length,
      instancesStale: instances.filter((i) => i.stale).length,
      connectorsActive: sum("connectorsActive"),
      connectorsTotal: sum("connectorsTotal"),
      success24h,
      failure24h,
      failedAttempts24h: attemptCounts.length ? attemptCounts.reduce((a, b) => a + b, 0) : null,
      failureRate: rate(success24h, failure24h),
      dlqOpen: sum("dlqOpen"),
      expectationsMissing: missingCounts.length ? missingCounts.reduce((a, b) => a + b, 0) : null,
    },
    instances,
    series,
    seriesKind: hourlyReports.length ? "hourly" : "trailing",
  };
}

/** Deliveries per hour: each instance's own hour-by-hour counts from its latest report, summed by hour. */
function hourlySeries(reports: HourlyCount[][], firstHour: number): Dashboard["series"] {
  return Array.from({ length: 24 }, (_, i) => {
    const hour = firstHour + i * HOUR;
    let success = 0;
    let failure = 0;
    let failedAttempts: number | null = null;
    let instances = 0;
    for (const report of reports) {
      const bucket = report.find((b) => new Date(b.hour).getTime() === hour);
      if (!bucket) continue;
      success += bucket.success;
      failure += bucket.failure;
      if (typeof bucket.failedAttempts === "number") failedAttempts = (failedAttempts ?? 0) + bucket.failedAttempts;
      instances++;
    }
    return { hour: new Date(hour).toISOString(), success, failure, failedAttempts, instances };
  });
}

/** For reports without hourly counts: the last report of each instance in every hour, summed. */
async function trailingSeries(db: Database, firstHour: number, now: Date): Promise<Dashboard["series"]> {
  const buckets = await execute<{
    hour: Date | string;
    success: number;
    failure: number;
    failed_attempts: number | null;
    instances: number;
  }>(
    db,
    sql`select hour, sum(success_24h)::int as success, sum(failure_24h)::int as failure,
          sum(failed_attempts_24h)::int as failed_attempts, count(*)::int as instances
        from (
          select distinct on (instance_id, hour) instance_id, hour, success_24h, failure_24h, failed_attempts_24h
          from (
            select *, date_bin('1 hour', received_at, timestamptz '1970-01-01 00:00:00+00') as hour
            from integration_builder_reports
            where received_at >= ${new Date(firstHour).toISOString()}::timestamptz and received_at <= ${now.toISOString()}::timestamptz
          ) r
          order by instance_id, hour, received_at desc, id desc
        ) latest_per_hour
        group by hour`,
  );
  const byHour = new Map(buckets.map((b) => [new Date(b.hour).getTime(), b]));
  return Array.from({ length: 24 }, (_, i) => {
    const hour = firstHour + i * HOUR;
    const b = byHour.get(hour);
    return {
      hour: new Date(hour).toISOString(),
      success: Number(b?.success ?? 0),
      failure: Number(b?.failure ?? 0),
      failedAttempts:
        b?.failed_attempts === null || b?.failed_attempts === undefined ? null : Number(b.failed_attempts),
      instances: Number(b?.instances ?? 0),
    };
  });
}
