const number = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const formatNumber = (n: number) => number.format(n);
export const formatCompact = (n: number) => (n < 10_000 ? number.format(n) : compact.format(n));

export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  if (rate === 0) return "0%";
  if (rate < 0.001) return "<0.1%";
  return `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

export const formatTime = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", {
    day: "2-digit",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });

/**
 * An axis for counts: a top value and integer ticks from 0, 1/2/5 × 10^n apart, at most `maxTicks`
 * intervals (so 5 deliveries read 0, 1, 2, 3, 4, 5 and never 1.25).
 */
export function countAxis(max: number, maxTicks = 4): { top: number; ticks: number[] } {
  const target = Math.max(1, Math.ceil(max));
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(target / s) <= maxTicks);
    if (found) {
      step = found;
      break;
    }
  }
  const top = Math.max(step, Math.ceil(target / step) * step);
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}

/** The failure share a rate bar fills: 0 when nothing failed, at least a sliver when anything did. */
export function failureFill(success: number, failure: number): number | null {
  const total = success + failure;
  if (total === 0) return null;
  if (failure === 0) return 0;
  return Math.max(0.04, failure / total);
}
