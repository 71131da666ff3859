import type { InstanceSummary } from "../../../server/dashboard.ts";
import { RateBar, StatusBadge } from "./badges.tsx";
import { CopyId } from "./copy-id.tsx";
import { formatAgo, formatNumber, formatRate, formatTime } from "./format.ts";

const COLUMNS = [
  "Instance",
  "Status",
  "Last report",
  "Connectors",
  "Delivered 24 h",
  "Failed deliveries",
  "Failed attempts",
  "Failure rate",
  "DLQ open",
  "Expectations missing",
] as const;
const label = (i: number) => ({ "data-label": COLUMNS[i] });

export function InstancesTable({
  instances,
  selected,
  onSelect,
  now,
}: {
  instances: InstanceSummary[];
  selected: string | undefined;
  onSelect: (instanceId: string) => void;
  now: number;
}) {
  if (instances.length === 0) {
    return (
      <div className="px-6 py-14 text-center" data-testid="no-instances">
        <p className="text-sm font-medium text-slate-700">No engine has reported yet</p>
        <p className="mx-auto mt-1 max-w-md text-sm text-slate-500">
          Start an engine with <code className="rounded bg-slate-100 px-1 font-mono text-xs">IB_CONTROL_PLANE_URL</code>{" "}
          pointing here and <code className="rounded bg-slate-100 px-1 font-mono text-xs">IB_CONTROL_PLANE_TOKEN</code>{" "}
          set to this control plane's ingest token.
        </p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="stack-table w-full text-sm" data-testid="instances-table">
        <thead>
          <tr className="border-b border-slate-200 bg-slate-50/60 text-left">
            {COLUMNS.map((h, i) => (
              <th key={h} className={`eyebrow px-3 py-2.5 align-bottom font-semibold ${i >= 3 ? "text-right" : ""}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {instances.map((i) => {
            const isSelected = i.instanceId === selected;
            return (
              <tr
                key={i.instanceId}
                data-testid="instance-row"
                data-instance={i.instanceId}
                data-stale={i.stale ? "true" : "false"}
                aria-selected={isSelected}
                tabIndex={0}
                onClick={() => onSelect(i.instanceId)}
                onKeyDown={(event) => {
                  if (event.key === "Enter" || event.key === " ") {
                    event.preventDefault();
                    onSelect(i.instanceId);
                  }
                }}
                className={`cursor-pointer outline-none transition-colors focus-visible:bg-brand-50 ${isSelected ? "bg-brand-50/60" : "hover:bg-slate-50"}`}
              >
                <td className="px-3 py-3" data-primary>
                  <div className="flex items-center gap-2">
                    <span
                      className={`hidden h-8 w-0.5 shrink-0 rounded-full sm:block ${isSelected ? "bg-brand-500" : "bg-transparent"}`}
                    />
                    <div className="min-w-0 max-w-[18rem]">
                      <p className="truncate font-medium text-slate-800" data-testid="instance-name" title={i.name}>
                        {i.name}
                      </p>
                      {i.name !== i.instanceId ? <CopyId id={i.instanceId} label="instance id" /> : null}
                    </div>
                  </div>
                </td>
                <td {...label(1)} className="px-3 py-3">
                  <StatusBadge stale={i.stale} staleAfterMs={i.staleAfterMs} />
                </td>
                <td {...label(2)} className="px-3 py-3 text-slate-600">
                  <span title={formatTime(i.lastReportAt)} suppressHydrationWarning>
                    {formatAgo(i.lastReportAt, now)}
                  </span>
                </td>
                <td {...label(3)} className="px-3 py-3 text-right tabular-nums">
                  <span className="font-medium">{formatNumber(i.connectorsActive)}</span>
                  <span className="text-slate-400"> / {formatNumber(i.connectorsTotal)}</span>
                </td>
                <td {...label(4)} className="px-3 py-3 text-right tabular-nums text-emerald-700">
                  {formatNumber(i.success24h)}
                </td>
                <td {...label(5)} className="px-3 py-3 text-right tabular-nums text-rose-700">
                  {formatNumber(i.failure24h)}
                </td>
                <td
                  {...label(6)}
                  className="px-3 py-3 text-right tabular-nums text-amber-700"
                  data-testid="instance-failed-attempts"
                >
                  {i.failedAttempts24h === null ? (
                    <span className="text-slate-400" title="Not reported by this engine (an older version)">
                      —
                    </span>
                  ) : (
                    formatNumber(i.failedAttempts24h)
                  )}
                </td>
                <td {...label(7)} className="px-3 py-3">
                  <div className="flex items-center justify-end gap-2 tabular-nums">
                    <RateBar success={i.success24h} failure={i.failure24h} />
                    <span className="sm:w-12 sm:text-right">{formatRate(i.failureRate)}</span>
                  </div>
                </td>
                <td {...label(8)} className="px-3 py-3 text-right tabular-nums">
                  {i.dlqOpen > 0 ? (
                    <span className="rounded-md bg-rose-50 px-1.5 py-0.5 font-semibold text-rose-700 ring-1 ring-rose-200">
                      {formatNumber(i.dlqOpen)}
                    </span>
                  ) : (
                    <span className="text-slate-400">0</span>
                  )}
                </td>
                <td
                  {...label(9)}
                  className="px-3 py-3 text-right tabular-nums"
                  data-testid="instance-expectations-missing"
                >
                  {i.expectationsMissing === null ? (
                    <span className="text-slate-400" title="Not reported by this engine (an older version)">
                      —
                    </span>
                  ) : i.expectationsMissing > 0 ? (
                    <span className="rounded-md bg-rose-50 px-1.5 py-0.5 font-semibold text-rose-700 ring-1 ring-rose-200">
                      {formatNumber(i.expectationsMissing)}
                    </span>
                  ) : (
                    <span className="text-slate-400">0</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
