// Issue 18's target table, evaluated from one bench run: each figure, its target, and met / missed (or
// invalid when a contender it comes from failed its correctness check, or not measured when the run did
// not include that contender).
import type { ContenderKey, ContenderResult } from "./result.ts";
import { round } from "./stats.ts";

export type Contenders = Partial<Record<ContenderKey, ContenderResult>>;

export interface TargetRow {
  figure: string;
  value: number | null;
  unit: string;
  /** `>=` or `<=` `limit`. */
  op: ">=" | "<=";
  limit: number;
  status: "met" | "missed" | "invalid" | "not measured";
  /** The contenders the figure comes from. */
  from: ContenderKey[];
}

/** Ratio of two figures, or null when either is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a && b ? round(a / b, 2) : null;
}

const e2e = (c: ContenderResult | undefined) => c?.oneByOne?.deliveriesPerSecond;

export function evaluateTargets(contenders: Contenders, latencyRate: number): TargetRow[] {
  const { postgres: pg, pglite } = contenders;
  const row = (
    figure: string,
    from: ContenderKey[],
    value: number | null | undefined,
    op: TargetRow["op"],
    limit: number,
    unit = "",
  ): TargetRow => {
    const valueOrNull = value === undefined || value === null || Number.isNaN(value) ? null : value;
    const invalid = from.some((k) => contenders[k] && !contenders[k]?.correctness.valid);
    const status: TargetRow["status"] = invalid
      ? "invalid"
      : valueOrNull === null
        ? "not measured"
        : (op === ">=" ? valueOrNull >= limit : valueOrNull <= limit)
          ? "met"
          : "missed";
    return { figure, value: valueOrNull, unit, op, limit, status, from };
  };
  const rows: TargetRow[] = [];
  for (const [name, key, times] of [
    ["graphile-worker", "graphile", 3],
    ["BullMQ", "bullmq", 1.5],
  ] as const) {
    const figure = `one by one, e2e deliveries/s: engine (PostgreSQL) ÷ ${name}`;
    rows.push(row(figure, ["postgres", key], ratio(e2e(pg), e2e(contenders[key])), ">=", times, "×"));
  }
  for (const [p, limit] of [
    ["p50", 10],
    ["p99", 50],
  ] as const) {
    const figure = `latency at ${latencyRate}/s from the send, ${p} (PostgreSQL)`;
    rows.push(row(figure, ["postgres"], pg?.latencyMs?.sentToReceived[p], "<=", limit, "ms"));
  }
  rows.push(
    row("PGlite bulk deliveries/s", ["pglite"], pglite?.bulk?.deliveriesPerSecond, ">=", 1000, "/s"),
    row("PGlite one by one, e2e deliveries/s", ["pglite"], e2e(pglite), ">=", 400, "/s"),
    row("peak RSS, engine on PostgreSQL", ["postgres"], pg?.peakRssMb, "<=", 250, "MB"),
    row("peak RSS, engine on PGlite", ["pglite"], pglite?.peakRssMb, "<=", 450, "MB"),
    row(
      "engine CPU per delivered event, one by one (PostgreSQL)",
      ["postgres"],
      pg?.oneByOne?.cpuMsPerDelivery,
      "<=",
      0.8,
      "ms",
    ),
  );
  for (const [features, plain, name] of FEATURE_RUNS) {
    // PGlite's features run is there only when the run included PGlite.
    if (plain === "pglite" && !contenders.pglite && !contenders.featuresPglite) continue;
    const figure = `with features ÷ plain, one by one e2e deliveries/s (${name})`;
    const value = ratio(e2e(contenders[features]), e2e(contenders[plain]));
    rows.push(row(figure, [features, plain], value, ">=", 0.8, "×"));
  }
  return rows;
}

const FEATURE_RUNS = [
  ["featuresPostgres", "postgres", "PostgreSQL"],
  ["featuresPglite", "pglite", "PGlite"],
] as const;

/** The ratios the JSON result keeps: each engine run to each baseline, each features run to its plain run. */
export function ratios(contenders: Contenders) {
  const of = (a: ContenderKey, b: ContenderKey) => ratio(e2e(contenders[a]), e2e(contenders[b]));
  const cpu = (k: ContenderKey) => contenders[k]?.oneByOne?.cpuMsPerDelivery;
  return {
    endToEnd: Object.fromEntries(
      (["postgres", "pglite", "floor"] as const).map((k) => [
        k,
        { toGraphile: of(k, "graphile"), toBullmq: of(k, "bullmq"), toFloor: k === "floor" ? null : of(k, "floor") },
      ]),
    ),
    featuresToPlain: Object.fromEntries(
      FEATURE_RUNS.map(([f, p]) => [p, { deliveries: of(f, p), cpu: ratio(cpu(f), cpu(p)) }]),
    ),
  };
}

/**
 * What the durable floor (baseline/floor.ts) says about the job-queue targets: the rate each would need
 * from the engine, what the floor itself reached, and how far the engine is from the floor.
 */
export function floorLines(contenders: Contenders): string[] {
  const floor = e2e(contenders.floor);
  if (!floor || !contenders.floor?.correctness.valid) return [];
  const lines: string[] = [];
  for (const [name, key, times] of [
    ["graphile-worker", "graphile", 3],
    ["BullMQ", "bullmq", 1.5],
  ] as const) {
    const base = e2e(contenders[key]);
    if (!base) continue;
    const needed = Math.round(base * times);
    const reach = floor >= needed ? "within" : "beyond";
    lines.push(
      `${times}× ${name} needs ${needed} deliveries/s one by one: ${reach} the durable floor's ${floor}/s (${ratio(floor, base)}× ${name})`,
    );
  }
  const engine = e2e(contenders.postgres);
  if (engine) lines.push(`engine (PostgreSQL) ÷ durable floor: ${ratio(engine, floor)}×`);
  return lines;
}

/** The figures table: one row a contender. */
export function figuresTable(contenders: Contenders): string[] {
  const { graphile, bullmq } = contenders;
  const fmt = (n: number | null | undefined) => (n === null || n === undefined ? "—" : String(n));
  const times = (n: number | null) => (n === null ? "—" : n.toFixed(2));
  const header = [
    "contender",
    "ingest/s",
    "e2e deliv/s",
    "×graphile",
    "×BullMQ",
    "bulk deliv/s",
    "CPU ms one",
    "CPU ms bulk",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "p50 from 202",
    "RSS MB",
    "handoff %",
    "check",
  ];
  const rows = Object.values(contenders).map((c) => [
    c.contender,
    fmt(c.oneByOne?.enqueuePerSecond),
    fmt(e2e(c)),
    times(ratio(e2e(c), e2e(graphile))),
    times(ratio(e2e(c), e2e(bullmq))),
    fmt(c.bulk?.deliveriesPerSecond),
    fmt(c.oneByOne?.cpuMsPerDelivery),
    fmt(c.bulk?.cpuMsPerDelivery),
    fmt(c.latencyMs?.sentToReceived.p50),
    fmt(c.latencyMs?.sentToReceived.p95),
    fmt(c.latencyMs?.sentToReceived.p99),
    fmt(c.latencyMs?.acceptedToReceived?.p50),
    fmt(c.peakRssMb),
    handoffShare(c),
    c.correctness.valid ? "ok" : "INVALID",
  ]);
  return align([header, ...rows]);
}

/** Of an engine's deliveries, the share its worker took straight from ingest (the rest by a claim). */
function handoffShare(c: ContenderResult): string {
  const total = (c.taken?.handoff ?? 0) + (c.taken?.claim ?? 0);
  return c.taken && total > 0 ? String(Math.round((100 * c.taken.handoff) / total)) : "—";
}

export function targetsTable(rows: TargetRow[]): string[] {
  return align([
    ["target (issue 18)", "figure", "target", "verdict"],
    ...rows.map((r) => [
      r.figure,
      r.value === null ? "—" : `${r.value}${r.unit === "×" ? "×" : ` ${r.unit}`}`,
      `${r.op} ${r.limit}${r.unit === "×" ? "×" : ` ${r.unit}`}`,
      r.status,
    ]),
  ]);
}

function align(table: string[][]): string[] {
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((r) => r[i]?.length ?? 0)));
  return table.map((cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "),
  );
}
