import type { ControlPlaneReport, ReportedConnector } from "@ib/core/contracts/report";
import type { ServiceContext } from "../context.ts";
import { getGlobalMetrics } from "../verbs/deliveries/delivery-metrics.ts";
import { countMissingExpectations } from "../verbs/reconciliation/count-missing-expectations.ts";

export type { ControlPlaneReport, ReportedConnector };

/** Per-connector detail is capped (the totals are not): the connectors that need attention come first. */
export const MAX_REPORTED_CONNECTORS = 1000;

/**
 * The instance's numbers, from the same verb as `GET /admin/integration-builder/metrics`:
 * from the outcomes of the attempts of the last 24 h: success24h = deliveries that ended successfully,
 * failure24h = deliveries that ended failed (DLQ or FAILED; still counted after a retry-DLQ),
 * failedAttempts24h = attempts that did not succeed; dlqOpen = deliveries in DLQ now; plus the same per hour.
 */
export async function buildReport({ ctx }: { ctx: ServiceContext }): Promise<ControlPlaneReport> {
  const { app } = ctx;
  const [metrics, expectationsMissing] = await Promise.all([
    getGlobalMetrics({ ctx }),
    countMissingExpectations({ ctx }),
  ]);
  const connectors: ReportedConnector[] = metrics.connectors.map((c) => ({
    id: c.id,
    name: c.name,
    enabled: c.enabled,
    success24h: c.success24h,
    failure24h: c.failure24h,
    failedAttempts24h: c.failedAttempts24h,
    dlqOpen: c.dlqOpen,
  }));
  connectors.sort(
    (a, b) =>
      b.dlqOpen - a.dlqOpen ||
      b.failure24h - a.failure24h ||
      b.success24h - a.success24h ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
  return {
    instanceId: app.instanceId,
    instanceName: app.env.instanceName,
    generatedAt: new Date().toISOString(),
    connectorsActive: metrics.connectorsActive,
    connectorsTotal: metrics.connectorsTotal,
    success24h: metrics.success24h,
    failure24h: metrics.failure24h,
    failedAttempts24h: metrics.failedAttempts24h,
    dlqOpen: metrics.dlqOpen,
    expectationsMissing,
    reportIntervalMs: app.env.IB_REPORT_INTERVAL_MS,
    hourly: metrics.hourly,
    connectors: connectors.slice(0, MAX_REPORTED_CONNECTORS),
  };
}
