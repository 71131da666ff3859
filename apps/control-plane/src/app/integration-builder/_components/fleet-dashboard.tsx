"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Dashboard } from "../../../server/dashboard.ts";
import { BrandMark } from "../../_components/brand.tsx";
import { ActivityChart } from "./activity-chart.tsx";
import { ConnectorBreakdown } from "./connector-breakdown.tsx";
import { formatAgo, formatNumber, formatRate } from "./format.ts";
import { InstancesTable } from "./instances-table.tsx";
import { Icons, StatCard } from "./stat-card.tsx";

export const REFRESH_MS = 30_000;

class DashboardError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function fetchDashboard(): Promise<Dashboard> {
  const res = await fetch("/api/integration-builder/dashboard", { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new DashboardError(body?.error?.message ?? `The control plane answered ${res.status}`, res.status);
  }
  return res.json();
}

export function FleetDashboard({
  initial,
  signOut,
  adminUrl,
}: {
  initial: Dashboard;
  signOut: boolean;
  /** The admin's public URL (CP_ADMIN_URL): connector rows link there. */
  adminUrl: string | null;
}) {
  const query = useQuery({
    queryKey: ["fleet-dashboard"],
    queryFn: fetchDashboard,
    initialData: initial,
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  const data = query.data;
  // "x s ago" ticks on the client; the first render uses the server's clock so hydration matches.
  const [now, setNow] = useState(() => new Date(initial.generatedAt).getTime());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (query.error instanceof DashboardError && query.error.status === 401)
      window.location.assign("/integration-builder/sign-in");
  }, [query.error]);

  const [selected, setSelected] = useState<string | undefined>(data.instances[0]?.instanceId);
  const selectedInstance = data.instances.find((i) => i.instanceId === selected) ?? data.instances[0];
  const t = data.totals;

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 border-b border-slate-200/80 bg-white/85 backdrop-blur">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
          <div className="flex min-w-0 items-center gap-3">
            <BrandMark />
            <div className="leading-tight">
              <p className="text-sm font-semibold">Integration Builder</p>
              <p className="text-xs text-slate-500">Control plane</p>
            </div>
            <span className="mx-1 h-6 w-px bg-slate-200 sm:mx-2" />
            <nav aria-label="Main" className="flex items-center gap-1 text-sm">
              <span aria-current="page" className="rounded-md bg-slate-100 px-2.5 py-1.5 font-medium text-slate-900">
                Fleet
              </span>
              {adminUrl ? (
                <a href={adminUrl} className="rounded-md px-2.5 py-1.5 font-medium text-slate-600 hover:bg-slate-100">
                  Admin
                </a>
              ) : null}
            </nav>
          </div>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
            <span className="inline-flex items-center gap-1.5" data-testid="refresh-status">
              <span className={`size-1.5 shrink-0 rounded-full ${query.isError ? "bg-rose-500" : "bg-emerald-500"}`} />
              {query.isError ? (
                <span className="text-rose-600">Refresh failed: {query.error.message}</span>
              ) : (
                <span suppressHydrationWarning>
                  Updated {formatAgo(new Date(query.dataUpdatedAt || now).toISOString(), now)}
                  <span className="hidden sm:inline"> · auto-refresh 30 s</span>
                </span>
              )}
            </span>
            <button
              type="button"
              onClick={() => query.refetch()}
              className="rounded-md border border-slate-200 bg-white px-2.5 py-1.5 font-medium text-slate-700 shadow-sm transition hover:bg-slate-50"
            >
              {query.isFetching ? "Refreshing…" : "Refresh"}
            </button>
            {signOut ? (
              <form method="post" action="/api/integration-builder/session">
                <input type="hidden" name="action" value="sign-out" />
                <button
                  type="submit"
                  className="rounded-md px-2.5 py-1.5 font-medium text-slate-600 hover:bg-slate-100"
                >
                  Sign out
                </button>
              </form>
            ) : null}
          </div>
        </div>
      </header>

      <main className="mx-auto max-w-7xl space-y-6 px-4 py-6 sm:px-6 sm:py-8">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Fleet overview</h1>
            <p className="mt-1 text-sm text-slate-500">
              {t.instances
                ? `Totals across ${formatNumber(t.instances)} engine instance${t.instances === 1 ? "" : "s"}, from each one's latest report.`
                : "Waiting for the first engine to report."}
            </p>
          </div>
          {t.instancesStale > 0 ? (
            <p
              className="rounded-lg bg-amber-50 px-3 py-1.5 text-sm font-medium text-amber-800 ring-1 ring-amber-200"
              data-testid="stale-banner"
            >
              {t.instancesStale} instance{t.instancesStale === 1 ? " has" : "s have"} stopped reporting
            </p>
          ) : null}
        </div>

        <section className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3" aria-label="Fleet totals">
          <StatCard
            testId="total-instances"
            label="Instances"
            value={formatNumber(t.instances)}
            hint={
              t.instancesStale ? (
                <span className="text-amber-700">{t.instancesStale} stale</span>
              ) : t.instances ? (
                "all reporting"
              ) : (
                "none has reported yet"
              )
            }
            icon={Icons.server}
            tone={t.instancesStale ? "warning" : "neutral"}
          />
          <StatCard
            testId="total-connectors"
            label="Connectors active"
            value={
              <>
                {formatNumber(t.connectorsActive)}
                <span className="text-lg font-medium text-slate-400"> / {formatNumber(t.connectorsTotal)}</span>
              </>
            }
            hint={`${formatNumber(t.connectorsTotal - t.connectorsActive)} paused`}
            icon={Icons.plug}
          />
          <StatCard
            testId="total-dlq"
            label="DLQ open"
            value={formatNumber(t.dlqOpen)}
            hint={t.dlqOpen ? "waiting for a retry" : "nothing dead-lettered"}
            icon={Icons.inbox}
            tone={t.dlqOpen ? "failure" : "neutral"}
          />
          <StatCard
            testId="total-expectations-missing"
            label="Expectations missing"
            value={t.expectationsMissing === null ? "—" : formatNumber(t.expectationsMissing)}
            hint={
              t.expectationsMissing === null
                ? t.instances
                  ? "not reported by these engines (older versions)"
                  : "provider confirmations that never came"
                : t.expectationsMissing
                  ? "provider confirmations that never came"
                  : "every expected confirmation arrived"
            }
            icon={Icons.alert}
            tone={t.expectationsMissing ? "failure" : "neutral"}
          />
          <StatCard
            testId="total-success"
            label="Delivered · 24 h"
            value={formatNumber(t.success24h)}
            hint="deliveries that ended successfully"
            icon={Icons.check}
            tone="success"
          />
          <StatCard
            testId="total-failure"
            label="Failed deliveries · 24 h"
            value={formatNumber(t.failure24h)}
            hint={
              <>
                failure rate{" "}
                <span className="font-semibold text-slate-700" data-testid="total-failure-rate">
                  {formatRate(t.failureRate)}
                </span>{" "}
                · still counted after a retry
              </>
            }
            icon={Icons.alert}
            tone="failure"
          />
          <StatCard
            testId="total-failed-attempts"
            label="Failed attempts · 24 h"
            value={t.failedAttempts24h === null ? "—" : formatNumber(t.failedAttempts24h)}
            hint={
              t.failedAttempts24h === null && t.instances
                ? "not reported by these engines (older versions)"
                : "calls that did not succeed, retried ones included"
            }
            icon={Icons.retry}
            tone="warning"
          />
        </section>

        <section className="card p-4 sm:p-5">
          <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
            <div>
              <h2 className="text-base font-semibold">Deliveries, last 24 hours</h2>
              <p className="text-sm text-slate-500" data-testid="chart-caption">
                {data.seriesKind === "hourly"
                  ? "Deliveries that ended successfully or failed, and attempts that did not succeed, in each hour, summed across instances."
                  : "Fleet-wide trailing 24 h counts, from the last report of each instance in every hour."}
              </p>
            </div>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600">
              <span className="inline-flex items-center gap-1.5">
                <span className="size-2.5 rounded-sm bg-success" /> Delivered
              </span>
              <span className="inline-flex items-center gap-1.5">
                <span className="size-2.5 rounded-sm bg-failure" /> Failed deliveries
              </span>
              <span className="inline-flex items-center gap-1.5">
                <span className="size-2.5 rounded-sm bg-attempt" /> Failed attempts
              </span>
            </div>
          </div>
          <ActivityChart series={data.series} kind={data.seriesKind} />
        </section>

        <section className="card overflow-hidden">
          <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
            <div>
              <h2 className="text-base font-semibold">Instances</h2>
              <p className="text-sm text-slate-500">
                Stale after 3 report intervals without a report. Select one for its connectors.
              </p>
            </div>
          </div>
          <InstancesTable
            instances={data.instances}
            selected={selectedInstance?.instanceId}
            onSelect={setSelected}
            now={now}
          />
        </section>

        {selectedInstance ? (
          <section className="card overflow-hidden" data-testid="connector-breakdown">
            <div className="border-b border-slate-200 px-5 py-4">
              <h2 className="text-base font-semibold">
                Connectors on{" "}
                <span className="text-brand-700" title={selectedInstance.instanceId}>
                  {selectedInstance.name}
                </span>
              </h2>
              <p className="text-sm text-slate-500">
                {formatNumber(selectedInstance.connectorsActive)} of {formatNumber(selectedInstance.connectorsTotal)}{" "}
                active · as of its report {formatAgo(selectedInstance.lastReportAt, now)}
              </p>
            </div>
            <ConnectorBreakdown instance={selectedInstance} adminUrl={adminUrl} />
          </section>
        ) : null}
      </main>
      <footer className="mx-auto max-w-7xl px-4 pb-10 sm:px-6 text-xs text-slate-400">
        Reports are kept for 30 days. Engines push every IB_REPORT_INTERVAL_MS to POST /api/integration-builder/report.
      </footer>
    </div>
  );
}
