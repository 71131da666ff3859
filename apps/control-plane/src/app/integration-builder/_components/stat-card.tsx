import type { ReactNode } from "react";

export function StatCard({
  label,
  value,
  hint,
  tone = "neutral",
  icon,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: "neutral" | "success" | "failure" | "warning";
  icon: ReactNode;
  testId: string;
}) {
  const toneClass = {
    neutral: "bg-brand-50 text-brand-600",
    success: "bg-emerald-50 text-emerald-600",
    failure: "bg-rose-50 text-rose-600",
    warning: "bg-amber-50 text-amber-600",
  }[tone];
  return (
    <div className="card min-w-0 p-4 sm:p-5" data-testid={testId}>
      <div className="flex items-start justify-between gap-3">
        <p className="eyebrow">{label}</p>
        <span className={`inline-flex size-8 shrink-0 items-center justify-center rounded-lg ${toneClass}`}>
          {icon}
        </span>
      </div>
      <p
        className="mt-2 text-2xl font-semibold tracking-tight tabular-nums sm:text-3xl"
        data-testid={`${testId}-value`}
      >
        {value}
      </p>
      {hint ? <p className="mt-1 text-xs text-slate-500 sm:text-sm">{hint}</p> : null}
    </div>
  );
}

const icon = (d: string) => (
  <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
    <path d={d} strokeLinecap="round" strokeLinejoin="round" />
  </svg>
);

export const Icons = {
  server: icon("M4 5h16v5H4zM4 14h16v5H4zM8 7.5h.01M8 16.5h.01"),
  plug: icon("M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0zM12 17v4"),
  check: icon("M20 6 9 17l-5-5"),
  alert: icon("M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"),
  retry: icon("M3 12a9 9 0 0 1 15.5-6.2L21 8M21 3v5h-5M21 12a9 9 0 0 1-15.5 6.2L3 16M3 21v-5h5"),
  inbox: icon("M22 12h-6l-2 3h-4l-2-3H2M5.5 5h13L22 12v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-6z"),
};
