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

export function RateBar({ success, failure }: { success: number; failure: number }) {
  const total = success + failure;
  const pct = total ? (success / total) * 100 : 0;
  return (
    <div className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
      {total ? (
        <div className="flex h-full">
          <div className="bg-success" style={{ width: `${pct}%` }} />
          <div className="bg-failure" style={{ width: `${100 - pct}%` }} />
        </div>
      ) : null}
    </div>
  );
}
