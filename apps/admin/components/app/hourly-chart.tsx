import type { MetricsBucket } from "@/lib/engine-types";

/** Attempts that did not succeed, retried ones included. */
const failedAttemptsOf = (b: MetricsBucket) => b.failedAttempts;

/**
 * Per hour over the last 24 h, as stacked bars (hand-made SVG, no chart library): delivered, failed attempts
 * that were retried, and attempts that ended their delivery failed.
 */
export function HourlyChart({ buckets }: { buckets: MetricsBucket[] }) {
  const width = 720;
  const height = 200;
  const pad = { top: 12, right: 8, bottom: 24, left: 36 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...buckets.map((b) => b.success + failedAttemptsOf(b)));
  const { top: nice, ticks } = countTicks(max);
  const slot = innerW / Math.max(1, buckets.length);
  const barW = Math.max(2, slot * 0.68);
  const y = (v: number) => pad.top + innerH - (v / nice) * innerH;
  const total = buckets.reduce((s, b) => s + b.success + failedAttemptsOf(b), 0);
  const sum = (f: (b: MetricsBucket) => number) => buckets.reduce((s, b) => s + f(b), 0);
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full"
        role="img"
        aria-label={`Attempts per hour over the last 24 hours: ${sum((b) => b.success)} delivered, ${sum(failedAttemptsOf)} failed attempts (${sum((b) => b.failure)} ended failed)`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={pad.left}
              x2={width - pad.right}
              y1={y(t)}
              y2={y(t)}
              stroke="#e4e4e7"
              strokeDasharray={t ? "3 3" : undefined}
            />
            <text x={pad.left - 6} y={y(t) + 3} textAnchor="end" className="fill-zinc-400 text-[10px]">
              {t}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          const failed = failedAttemptsOf(b);
          const retried = failed - b.failure;
          const h = (v: number) => (v / nice) * innerH;
          const label = new Date(b.hour).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
          return (
            <g key={b.hour}>
              <title>{`${label} — ${b.success} delivered, ${failed} failed attempts (${b.failure} ended failed)`}</title>
              <rect x={x} y={y(b.success)} width={barW} height={h(b.success)} rx={1.5} className="fill-emerald-500" />
              <rect
                x={x}
                y={y(b.success + retried)}
                width={barW}
                height={h(retried)}
                rx={1.5}
                className="fill-amber-400"
              />
              <rect
                x={x}
                y={y(b.success + failed)}
                width={barW}
                height={h(b.failure)}
                rx={1.5}
                className="fill-red-400"
              />
              {i % 4 === 0 ? (
                <text x={x + barW / 2} y={height - 8} textAnchor="middle" className="fill-zinc-400 text-[10px]">
                  {label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex items-center gap-4 text-xs text-zinc-500">
        <span className="flex items-center gap-1.5">
          <span className="size-2 rounded-sm bg-emerald-500" aria-hidden /> Delivered
        </span>
        <span className="flex items-center gap-1.5">
          <span className="size-2 rounded-sm bg-amber-400" aria-hidden /> Failed attempt, retried
        </span>
        <span className="flex items-center gap-1.5">
          <span className="size-2 rounded-sm bg-red-400" aria-hidden /> Failed attempt, delivery ended failed (FAILED or
          DLQ)
        </span>
        {total === 0 ? <span>No attempts in the last 24 hours.</span> : null}
      </figcaption>
    </figure>
  );
}

/**
 * A count axis: whole-number ticks from 0, 1/2/5 × 10^n apart, at most `intervals` of them (5 attempts
 * read 0 and 5, never 2.5).
 */
export function countTicks(max: number, intervals = 2): { top: number; ticks: number[] } {
  const target = Math.max(1, Math.ceil(max));
  for (let magnitude = 1; ; magnitude *= 10) {
    const step = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(target / s) <= intervals);
    if (step) {
      const top = Math.ceil(target / step) * step;
      return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
    }
  }
}

/** 24 hourly buckets ending with the current hour, filling hours the engine did not report. */
export function fillHours(buckets: MetricsBucket[] | undefined, now = Date.now()): MetricsBucket[] {
  const byHour = new Map<number, MetricsBucket>();
  for (const b of buckets ?? []) {
    const t = Date.parse(b.hour);
    if (!Number.isNaN(t)) byHour.set(Math.floor(t / 3_600_000), b);
  }
  const current = Math.floor(now / 3_600_000);
  const out: MetricsBucket[] = [];
  for (let h = current - 23; h <= current; h++) {
    const found = byHour.get(h);
    out.push({
      hour: new Date(h * 3_600_000).toISOString(),
      success: found?.success ?? 0,
      failure: found?.failure ?? 0,
      failedAttempts: found?.failedAttempts ?? 0,
    });
  }
  return out;
}
