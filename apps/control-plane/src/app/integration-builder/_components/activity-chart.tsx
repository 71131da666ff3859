import type { Dashboard } from "../../../server/dashboard.ts";
import { formatCompact, formatNumber } from "./format.ts";

const W = 1000;
const H = 240;
const PAD = { top: 12, right: 8, bottom: 26, left: 44 };

/** Round a maximum up to a 1/2/5 × 10^n step so the axis reads nicely. */
function niceMax(max: number): number {
  if (max <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

/** Hand-made SVG: delivered, failed-delivery and failed-attempt bars, hour by hour over the last 24 h. */
export function ActivityChart({ series, kind }: { series: Dashboard["series"]; kind: Dashboard["seriesKind"] }) {
  const max = niceMax(Math.max(0, ...series.map((p) => Math.max(p.success, p.failure, p.failedAttempts ?? 0))));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / series.length;
  const barW = Math.max(2, Math.min(10, slot / 3 - 3));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const noReports = series.every((p) => p.instances === 0);
  const empty = noReports || series.every((p) => p.success === 0 && p.failure === 0 && !p.failedAttempts);
  const attempts = (p: Dashboard["series"][number]) =>
    p.failedAttempts === null ? "" : `, ${formatNumber(p.failedAttempts)} failed attempts`;
  const bar = (x: number, value: number, fill: string, testId: string) => (
    <rect
      x={x}
      y={y(value)}
      width={barW}
      height={Math.max(0, PAD.top + innerH - y(value))}
      rx="2"
      className={fill}
      data-testid={testId}
      data-value={value}
    />
  );

  return (
    <div className="relative">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-label="Delivered, failed deliveries and failed attempts over the last 24 hours"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-slate-100" strokeWidth="1" />
            <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" className="fill-slate-400 text-[10px]">
              {formatCompact(Math.round(t))}
            </text>
          </g>
        ))}
        {series.map((p, i) => {
          const x = PAD.left + i * slot + slot / 2;
          const hour = new Date(p.hour);
          const label = `${String(hour.getHours()).padStart(2, "0")}:00`;
          return (
            <g key={p.hour}>
              {/* Hours are shown in the viewer's time zone, which the server cannot know. */}
              <title suppressHydrationWarning>
                {kind === "hourly"
                  ? `${label}–${String((hour.getHours() + 1) % 24).padStart(2, "0")}:00 — ${formatNumber(p.success)} delivered, ${formatNumber(p.failure)} failed deliveries${attempts(p)} (${p.instances} instance${p.instances === 1 ? "" : "s"})`
                  : `${label} — ${formatNumber(p.success)} delivered, ${formatNumber(p.failure)} failed deliveries${attempts(p)} in the trailing 24 h (${p.instances} instance${p.instances === 1 ? "" : "s"} reporting)`}
              </title>
              <rect
                x={PAD.left + i * slot}
                y={PAD.top}
                width={slot}
                height={innerH}
                className="fill-transparent hover:fill-slate-50"
              />
              {bar(x - barW * 1.5 - 2, p.success, "fill-success", "bar-success")}
              {bar(x - barW / 2, p.failure, "fill-failure", "bar-failure")}
              {p.failedAttempts === null
                ? null
                : bar(x + barW / 2 + 2, p.failedAttempts, "fill-attempt", "bar-failed-attempts")}
              {i % 3 === 0 || i === series.length - 1 ? (
                <text
                  x={x}
                  y={H - 8}
                  textAnchor="middle"
                  className="fill-slate-400 text-[10px]"
                  suppressHydrationWarning
                >
                  {i === series.length - 1 ? "now" : label}
                </text>
              ) : null}
            </g>
          );
        })}
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="stroke-slate-200" strokeWidth="1" />
      </svg>
      {empty ? (
        <div className="absolute inset-0 flex items-center justify-center">
          <p className="rounded-lg bg-white/90 px-3 py-1.5 text-sm text-slate-500 ring-1 ring-slate-200">
            {noReports ? "No reports in the last 24 hours" : "No deliveries finished in the last 24 hours"}
          </p>
        </div>
      ) : null}
    </div>
  );
}
