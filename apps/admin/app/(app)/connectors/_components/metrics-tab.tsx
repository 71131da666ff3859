"use client";

import { DELIVERY_STATUSES } from "@ib/core/contracts/delivery-status";
import { useQuery } from "@tanstack/react-query";
import { fillHours, HourlyChart } from "@/components/app/hourly-chart";
import { CircuitBadge, STATUS_LABEL, StatusBadge } from "@/components/app/status";
import { Card, ErrorState, Loading } from "@/components/ui";
import { api } from "@/lib/api";
import { count, ms, percent } from "@/lib/format";

export function MetricsTab({ connectorId }: { connectorId: string }) {
  const metrics = useQuery({
    queryKey: ["connector-metrics", connectorId],
    queryFn: () => api.connectors.metrics(connectorId),
    refetchInterval: 4_000,
  });
  if (metrics.isPending) return <Loading label="Loading metrics" />;
  if (metrics.isError) return <ErrorState error={metrics.error} onRetry={() => metrics.refetch()} />;
  const m = metrics.data;
  return (
    <div className="space-y-5">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Delivered (24h)"
          value={count(m.success24h)}
          sub={`${count(m.failure24h)} ended failed · ${percent(m.success24h, m.failure24h)} success rate`}
        />
        <Stat
          label="Failed attempts (24h)"
          value={count(m.failedAttempts24h)}
          sub={`of ${count(m.attempts24h)} attempts, retries included`}
        />
        <Stat
          label="Open DLQ"
          value={String(m.dlqOpen)}
          sub={m.dlqOpen ? "see Deliveries to retry" : "nothing waiting"}
        />
        <Card className="p-4">
          <p className="text-xs font-medium text-zinc-500">Circuit breaker</p>
          <div className="mt-2">
            <CircuitBadge state={m.circuitState} />
          </div>
          <p className="mt-2 text-xs text-zinc-500">
            Opens after consecutive failures; postpones without spending attempts.
          </p>
        </Card>
      </div>
      <Card className="p-4">
        <h2 className="mb-3 text-sm font-semibold text-zinc-900">Attempts per hour, last 24 hours</h2>
        <HourlyChart buckets={fillHours(m.hourly)} />
      </Card>
      <div className="grid gap-5 lg:grid-cols-2">
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold text-zinc-900">Latency of successful attempts</h2>
          <dl className="grid grid-cols-3 gap-3">
            {(["p50", "p95", "p99"] as const).map((p) => (
              <div key={p} className="rounded-md bg-zinc-50 px-3 py-2.5">
                <dt className="text-xs text-zinc-500">{p}</dt>
                <dd className="mt-0.5 text-lg font-semibold text-zinc-900 tabular-nums">{ms(m.latencyMs[p])}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold text-zinc-900">Deliveries by status</h2>
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            {DELIVERY_STATUSES.map((s) => (
              <li
                key={s}
                className="flex items-center justify-between gap-2 rounded-md bg-zinc-50 px-3 py-2"
                aria-label={STATUS_LABEL[s]}
              >
                <StatusBadge status={s} />
                <span className="font-semibold text-zinc-900 tabular-nums">{m.counts[s]}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </div>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <Card className="p-4" aria-label={label}>
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900 tabular-nums" data-testid="stat-value">
        {value}
      </p>
      {sub ? <p className="mt-1 text-xs text-zinc-500">{sub}</p> : null}
    </Card>
  );
}
