import { failureFill } from "./format.ts";

export function StatusBadge({ stale, staleAfterMs }: { stale: boolean; staleAfterMs: number }) {
  return stale ? (
    <span
      className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-700 ring-1 ring-amber-200"
      title={`No report for more than ${Math.round(staleAfterMs / 1000)} s (3 report intervals)`}
      data-testid="stale-badge"
    >
      <span className="size-1.5 rounded-full bg-amber-500" />
      Stale
    </span>
  ) : (
    <span
      className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200"
      data-testid="live-badge"
    >
      <span className="relative flex size-1.5">
        <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60" />
        <span className="relative inline-flex size-1.5 rounded-full bg-emerald-500" />
      </span>
      Reporting
    </span>
  );
}

/**
 * The failure rate as a bar that fills with it: empty (a green track) at 0 %, a red sliver for any
 * failure at all, dashed when nothing finished.
 */
export function RateBar({ success, failure }: { success: number; failure: number }) {
  const fill = failureFill(success, failure);
  return (
    <div
      className={`h-1.5 w-16 shrink-0 overflow-hidden rounded-full sm:w-20 ${
        fill === null ? "border border-dashed border-slate-300" : "bg-emerald-100"
      }`}
      data-testid="rate-bar"
      data-fill={fill === null ? "none" : fill.toFixed(3)}
      aria-hidden="true"
    >
      {fill ? <div className="h-full rounded-full bg-failure" style={{ width: `${fill * 100}%` }} /> : null}
    </div>
  );
}
