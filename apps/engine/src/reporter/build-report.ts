import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";

export interface ReportedConnector {
  id: string;
  name: string;
  enabled: boolean;
  success24h: number;
  failure24h: number;
  dlqOpen: number;
}

/** What the engine pushes to `POST /api/integration-builder/report` on the control plane (DESIGN §8). */
export interface ControlPlaneReport {
  instanceId: string;
  generatedAt: string;
  connectorsActive: number;
  connectorsTotal: number;
  success24h: number;
  failure24h: number;
  dlqOpen: number;
  /** How often this instance reports, so the control plane knows when it has gone quiet. */
  reportIntervalMs: number;
  connectors: ReportedConnector[];
}

/** Per-connector detail is capped (the totals are not): the connectors that need attention come first. */
export const MAX_REPORTED_CONNECTORS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instance's numbers, straight from the database: success24h = deliveries that reached SUCCESS
 * in the last 24 h (by completedAt), failure24h = those that reached FAILED or DLQ, dlqOpen =
 * deliveries in DLQ now. Two indexed queries; the database does the counting.
 */
export async function buildReport({
  ctx,
  now = new Date(),
}: {
  ctx: AppContext;
  now?: Date;
}): Promise<ControlPlaneReport> {
  const since = new Date(now.getTime() - DAY_MS);
  const [connectorRows, deliveryRows] = await Promise.all([
    execute<{ id: string; name: string; enabled: boolean }>(ctx.db, sql`select id, name, enabled from connectors`),
    execute<{ connector_id: string; success: number; failure: number; dlq: number }>(
      ctx.db,
      sql`select connector_id,
            count(*) filter (where status = 'SUCCESS' and completed_at >= ${since.toISOString()}::timestamptz)::int as success,
            count(*) filter (where status in ('FAILED', 'DLQ') and completed_at >= ${since.toISOString()}::timestamptz)::int as failure,
            count(*) filter (where status = 'DLQ')::int as dlq
          from deliveries
          where completed_at >= ${since.toISOString()}::timestamptz or status = 'DLQ'
          group by connector_id`,
    ),
  ]);
  const stats = new Map(deliveryRows.map((r) => [r.connector_id, r]));
  const connectors: ReportedConnector[] = connectorRows.map((c) => {
    const s = stats.get(c.id);
    return {
      id: c.id,
      name: c.name,
      enabled: Boolean(c.enabled),
      success24h: Number(s?.success ?? 0),
      failure24h: Number(s?.failure ?? 0),
      dlqOpen: Number(s?.dlq ?? 0),
    };
  });
  const total = (key: "success" | "failure" | "dlq") => deliveryRows.reduce((n, r) => n + Number(r[key]), 0);
  connectors.sort(
    (a, b) =>
      b.dlqOpen - a.dlqOpen ||
      b.failure24h - a.failure24h ||
      b.success24h - a.success24h ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
  return {
    instanceId: ctx.instanceId,
    generatedAt: now.toISOString(),
    connectorsActive: connectors.filter((c) => c.enabled).length,
    connectorsTotal: connectors.length,
    success24h: total("success"),
    failure24h: total("failure"),
    dlqOpen: total("dlq"),
    reportIntervalMs: ctx.env.IB_REPORT_INTERVAL_MS,
    connectors: connectors.slice(0, MAX_REPORTED_CONNECTORS),
  };
}
