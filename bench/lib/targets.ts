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
  const { graphile, bullmq, postgres: pg, pglite, featuresPostgres, featuresPglite } = contenders;
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
  const rows = [
    row(
      "one by one, e2e deliveries/s: engine (PostgreSQL) ÷ graphile-worker",
      ["postgres", "graphile"],
      ratio(e2e(pg), e2e(graphile)),
      ">=",
      3,
      "×",
    ),
    row(
      "one by one, e2e deliveries/s: engine (PostgreSQL) ÷ BullMQ",
      ["postgres", "bullmq"],
      ratio(e2e(pg), e2e(bullmq)),
      ">=",
      1.5,
      "×",
    ),
    row(
      `latency at ${latencyRate}/s from the send, p50 (PostgreSQL)`,
      ["postgres"],
      pg?.latencyMs?.sentToReceived.p50,
      "<=",
      10,
      "ms",
    ),
    row(
      `latency at ${latencyRate}/s from the send, p99 (PostgreSQL)`,
      ["postgres"],
      pg?.latencyMs?.sentToReceived.p99,
      "<=",
      50,
      "ms",
    ),
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
    row(
      "with features ÷ plain, one by one e2e deliveries/s (PostgreSQL)",
      ["featuresPostgres", "postgres"],
      ratio(e2e(featuresPostgres), e2e(pg)),
      ">=",
      0.8,
      "×",
    ),
  ];
  // PGlite's features run is there only when the run included PGlite.
  if (featuresPglite || pglite)
    rows.push(
      row(
        "with features ÷ plain, one by one e2e deliveries/s (PGlite)",
        ["featuresPglite", "pglite"],
        ratio(e2e(featuresPglite), e2e(pglite)),
        ">=",
        0.8,
        "×",
      ),
    );
  return rows;
}

/** The figures table: one row a contender. */
export function figuresTable(contenders: Contenders): string[] {
  const { graphile, bullmq } = contenders;
  const fmt = (n: number | null | undefined) => (n === null || n === undefined ? "—" : String(n));
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
    "check",
  ];
  const rows = Object.values(contenders).map((c) => [
    c.contender,
    fmt(c.oneByOne?.enqueuePerSecond),
    fmt(e2e(c)),
    fmt(ratio(e2e(c), e2e(graphile))),
    fmt(ratio(e2e(c), e2e(bullmq))),
    fmt(c.bulk?.deliveriesPerSecond),
    fmt(c.oneByOne?.cpuMsPerDelivery),
    fmt(c.bulk?.cpuMsPerDelivery),
    fmt(c.latencyMs?.sentToReceived.p50),
    fmt(c.latencyMs?.sentToReceived.p95),
    fmt(c.latencyMs?.sentToReceived.p99),
    fmt(c.latencyMs?.acceptedToReceived?.p50),
    fmt(c.peakRssMb),
    c.correctness.valid ? "ok" : "INVALID",
  ]);
  return align([header, ...rows]);
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
