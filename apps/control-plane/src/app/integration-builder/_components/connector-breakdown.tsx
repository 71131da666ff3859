import type { InstanceSummary } from "../../../server/dashboard.ts";
import { RateBar } from "./badges.tsx";
import { CopyId } from "./copy-id.tsx";
import { formatNumber, formatRate } from "./format.ts";

const COLUMNS = [
  "Connector",
  "State",
  "Delivered 24 h",
  "Failed deliveries",
  "Failed attempts",
  "Failure rate",
  "DLQ open",
] as const;
const label = (i: number) => ({ "data-label": COLUMNS[i] });

/** The admin's page for a connector, when the control plane knows where the admin is (CP_ADMIN_URL). */
export function adminConnectorUrl(adminUrl: string | null, id: string): string | null {
  return adminUrl ? `${adminUrl.replace(/\/+$/, "")}/connectors/${encodeURIComponent(id)}` : null;
}

export function ConnectorBreakdown({ instance, adminUrl }: { instance: InstanceSummary; adminUrl: string | null }) {
  const connectors = [...(instance.connectors ?? [])].sort(
    (a, b) => b.dlqOpen - a.dlqOpen || b.failure24h - a.failure24h || a.name.localeCompare(b.name),
  );
  if (instance.connectors === null) {
    return (
      <p className="px-6 py-10 text-center text-sm text-slate-500">
        This instance does not report per-connector numbers.
      </p>
    );
  }
  if (connectors.length === 0) {
    return <p className="px-6 py-10 text-center text-sm text-slate-500">No connectors on this instance yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="stack-table w-full text-sm" data-testid="connectors-table">
        <thead>
          <tr className="border-b border-slate-200 bg-slate-50/60 text-left">
            {COLUMNS.map((h, i) => (
              <th key={h} className={`eyebrow px-4 py-2.5 align-bottom ${i >= 2 ? "text-right" : ""}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {connectors.map((c) => {
            const total = c.success24h + c.failure24h;
            const href = adminConnectorUrl(adminUrl, c.id);
            return (
              <tr key={c.id} data-testid="connector-row" className="hover:bg-slate-50">
                <td className="px-4 py-2.5" data-primary>
                  {href ? (
                    <a
                      href={href}
                      className="font-medium text-brand-700 hover:underline"
                      title={`Open ${c.name || c.id} in the admin`}
                    >
                      {c.name || c.id}
                    </a>
                  ) : (
                    <p className="font-medium text-slate-800">{c.name || c.id}</p>
                  )}
                  <div>
                    <CopyId id={c.id} label="connector id" />
                  </div>
                </td>
                <td {...label(1)} className="px-4 py-2.5">
                  {c.enabled ? (
                    <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 ring-1 ring-brand-100">
                      Active
                    </span>
                  ) : (
                    <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-500 ring-1 ring-slate-200">
                      Paused
                    </span>
                  )}
                </td>
                <td {...label(2)} className="px-4 py-2.5 text-right tabular-nums text-emerald-700">
                  {formatNumber(c.success24h)}
                </td>
                <td {...label(3)} className="px-4 py-2.5 text-right tabular-nums text-rose-700">
                  {formatNumber(c.failure24h)}
                </td>
                <td {...label(4)} className="px-4 py-2.5 text-right tabular-nums text-amber-700">
                  {c.failedAttempts24h === undefined ? (
                    <span className="text-slate-400">—</span>
                  ) : (
                    formatNumber(c.failedAttempts24h)
                  )}
                </td>
                <td {...label(5)} className="px-4 py-2.5">
                  <div className="flex items-center justify-end gap-2 tabular-nums">
                    <RateBar success={c.success24h} failure={c.failure24h} />
                    <span className="sm:w-12 sm:text-right" data-testid="connector-failure-rate">
                      {formatRate(total ? c.failure24h / total : null)}
                    </span>
                  </div>
                </td>
                <td {...label(6)} className="px-4 py-2.5 text-right tabular-nums">
                  {c.dlqOpen > 0 ? (
                    <span className="font-semibold text-rose-700">{formatNumber(c.dlqOpen)}</span>
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
