"use client";

import { useEffect, useRef, useState } from "react";
import type { Dashboard } from "../../../server/dashboard.ts";
import { countAxis, formatCompact, formatNumber } from "./format.ts";

const PAD = { top: 12, right: 8, bottom: 26, left: 40 };

/** The wrapper's width in CSS pixels, so the SVG draws 1:1 and its labels stay legible on a phone. */
function useWidth(initial: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(280, Math.round(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** Hand-made SVG: delivered, failed-delivery and failed-attempt bars, hour by hour over the last 24 h. */
export function ActivityChart({ series, kind }: { series: Dashboard["series"]; kind: Dashboard["seriesKind"] }) {
  const [ref, W] = useWidth(1000);
  const H = W < 640 ? 200 : 240;
  const axis = countAxis(Math.max(0, ...series.map((p) => Math.max(p.success, p.failure, p.failedAttempts ?? 0))));
  const max = axis.top;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / series.length;
  const barW = Math.max(2, Math.min(10, slot / 3 - 2));
  const gap = slot > 12 ? 2 : 0.5;
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  // An hour label every 2 to 6 hours, so they never overlap (about 44 px each).
  const labelEvery = Math.min(6, Math.max(2, Math.ceil(24 / Math.max(1, Math.floor(innerW / 44)))));
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
    <div className="relative" ref={ref}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        data-testid="activity-chart"
        className="h-auto w-full"
        role="img"
        aria-label="Delivered, failed deliveries and failed attempts over the last 24 hours"
      >
        {axis.ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-slate-100" strokeWidth="1" />
            <text
              x={PAD.left - 8}
              y={y(t) + 4}
              textAnchor="end"
              className="fill-slate-500 text-[11px]"
              data-testid="chart-tick"
            >
              {formatCompact(t)}
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
              {bar(x - barW * 1.5 - gap, p.success, "fill-success", "bar-success")}
              {bar(x - barW / 2, p.failure, "fill-failure", "bar-failure")}
              {p.failedAttempts === null
                ? null
                : bar(x + barW / 2 + gap, p.failedAttempts, "fill-attempt", "bar-failed-attempts")}
              {(i % labelEvery === 0 && series.length - 1 - i >= labelEvery / 2) || i === series.length - 1 ? (
                <text
                  x={x}
                  y={H - 8}
                  textAnchor="middle"
                  className="fill-slate-500 text-[11px]"
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
