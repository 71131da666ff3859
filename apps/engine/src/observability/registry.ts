/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with
 * a fixed set of label names per metric and a cap on the number of series, so a label fed from data
 * (a connector id) cannot grow the output without bound. No dependency: the format is a few lines.
 */

export type Labels = Record<string, string>;

/** At most this many series per metric; the last slot collects the rest, every label set to OVERFLOW. */
export const DEFAULT_MAX_SERIES = 1000;
export const OVERFLOW = "_other";

interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
  maxSeries?: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

abstract class Metric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  protected readonly series = new Map<string, { labels: Labels; state: S }>();
  abstract readonly type: "counter" | "gauge" | "histogram";

  constructor(options: MetricOptions) {
    if (!NAME.test(options.name)) throw new Error(`invalid metric name ${options.name}`);
    for (const l of options.labelNames ?? []) if (!LABEL.test(l)) throw new Error(`invalid label name ${l}`);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    this.maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  }

  protected abstract initial(): S;

  /** The state of one series; unknown label names are refused, missing ones become "". */
  protected at(labels: Labels = {}): S {
    for (const key of Object.keys(labels)) {
      if (!this.labelNames.includes(key)) throw new Error(`${this.name}: unknown label ${key}`);
    }
    let normalized: Labels = {};
    for (const l of this.labelNames) normalized[l] = labels[l] ?? "";
    let key = this.labelNames.map((l) => normalized[l]).join("\u0000");
    let entry = this.series.get(key);
    if (!entry) {
      // One slot is kept for the overflow series, so the total never exceeds maxSeries.
      if (this.series.size >= this.maxSeries - 1) {
        normalized = Object.fromEntries(this.labelNames.map((l) => [l, OVERFLOW]));
        key = this.labelNames.map(() => OVERFLOW).join("\u0000");
        entry = this.series.get(key);
      }
      if (!entry) {
        entry = { labels: normalized, state: this.initial() };
        this.series.set(key, entry);
      }
    }
    return entry.state;
  }

  header(): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`;
  }

  abstract render(): string;
}

export class Counter extends Metric<{ value: number }> {
  readonly type = "counter" as const;
  protected initial() {
    return { value: 0 };
  }
  inc(labels?: Labels, by = 1): void {
    if (by < 0) throw new Error(`${this.name}: a counter only goes up`);
    this.at(labels).value += by;
  }
  get(labels?: Labels): number {
    return this.at(labels).value;
  }
  render(): string {
    let out = this.header();
    for (const { labels, state } of this.series.values())
      out += `${this.name}${formatLabels(labels)} ${formatValue(state.value)}\n`;
    return out;
  }
}

export class Gauge extends Metric<{ value: number }> {
  readonly type = "gauge" as const;
  protected initial() {
    return { value: 0 };
  }
  set(labels: Labels | undefined, value: number): void {
    this.at(labels).value = value;
  }
  /** Forget every series (scrape-time gauges are rebuilt from the database each time). */
  reset(): void {
    this.series.clear();
  }
  render(): string {
    let out = this.header();
    for (const { labels, state } of this.series.values())
      out += `${this.name}${formatLabels(labels)} ${formatValue(state.value)}\n`;
    return out;
  }
}

/** Seconds: from 1 ms to 30 s, dense where webhook latencies usually sit. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Histogram extends Metric<{ counts: number[]; sum: number; count: number }> {
  readonly type = "histogram" as const;
  readonly buckets: readonly number[];

  constructor(options: MetricOptions & { buckets?: readonly number[] }) {
    super(options);
    if (this.labelNames.includes("le")) throw new Error(`${this.name}: "le" is reserved`);
    this.buckets = [...(options.buckets ?? LATENCY_BUCKETS)].sort((a, b) => a - b);
  }
  protected initial() {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }
  observe(labels: Labels | undefined, value: number): void {
    const state = this.at(labels);
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] as number)) state.counts[i]! += 1;
    state.sum += value;
    state.count += 1;
  }
  render(): string {
    let out = this.header();
    for (const { labels, state } of this.series.values()) {
      for (let i = 0; i < this.buckets.length; i++) {
        const le = formatLabels({ ...labels, le: formatValue(this.buckets[i] as number) });
        out += `${this.name}_bucket${le} ${state.counts[i]}\n`;
      }
      out += `${this.name}_bucket${formatLabels({ ...labels, le: "+Inf" })} ${state.count}\n`;
      out += `${this.name}_sum${formatLabels(labels)} ${formatValue(state.sum)}\n`;
      out += `${this.name}_count${formatLabels(labels)} ${state.count}\n`;
    }
    return out;
  }
}

/** Metrics in registration order; `collect` hooks refresh scrape-time gauges before rendering. */
export class Registry {
  private readonly metrics = new Map<string, { name: string; render(): string }>();
  private readonly collectors: Array<() => Promise<void>> = [];

  register<M extends { name: string; render(): string }>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
  // A metric without labels shows from the first scrape (as 0), so rate() has a starting point.
  counter(options: MetricOptions): Counter {
    const metric = this.register(new Counter(options));
    if (metric.labelNames.length === 0) metric.inc(undefined, 0);
    return metric;
  }
  gauge(options: MetricOptions): Gauge {
    return this.register(new Gauge(options));
  }
  histogram(options: MetricOptions & { buckets?: readonly number[] }): Histogram {
    return this.register(new Histogram(options));
  }
  onCollect(fn: () => Promise<void>): void {
    this.collectors.push(fn);
  }

  async render(): Promise<string> {
    for (const collect of this.collectors) await collect();
    let out = "";
    for (const metric of this.metrics.values()) out += metric.render();
    return out;
  }
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
