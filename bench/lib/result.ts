// One shape for every contender's figures (the two job-queue baselines, the engine on each database,
// the engine with features), so the table, the targets and the JSON result read them alike.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import type { Checks, Correctness } from "./correctness.ts";
import { cpuSeconds, peakRssMb } from "./engine-process.ts";
import type { Tracker } from "./sink.ts";
import { type LatencySummary, round } from "./stats.ts";

export type ContenderKey =
  | "graphile"
  | "bullmq"
  | "floor"
  | "postgres"
  | "pglite"
  | "featuresPostgres"
  | "featuresPglite";

export interface ContenderResult {
  key: ContenderKey;
  contender: string;
  events: number;
  /** The machine's 1/5/15-minute load average when this contender started. */
  loadAverageAtStart: number[];
  /** Events sent one by one by the concurrent clients (POST /v1/events, `addJob`, `queue.add`). */
  oneByOne: {
    enqueuePerSecond: number;
    /** From the first send to the arrival of the last delivery at the sink. */
    deliveriesPerSecond: number;
    /** CPU (user + system) of the contender's process per delivered event, the whole phase. */
    cpuMsPerDelivery: number | null;
  } | null;
  /** The same count sent 500 at a time (POST /v1/events/batch, `addJobs`, `addBulk`). */
  bulk: { deliveriesPerSecond: number; cpuMsPerDelivery: number | null } | null;
  /** Open loop at a fixed rate: from the send (and for the engine from its 202) to arrival at the sink. */
  latencyMs: { sentToReceived: LatencySummary; acceptedToReceived?: LatencySummary } | null;
  latencyEvents: number;
  /** VmHWM of the contender's process at the end of its run. */
  peakRssMb: number | null;
  correctness: Correctness;
  /** Set when the run stopped with an error (its figures are then partial and invalid). */
  error?: string;
  /** The engine runs: what the process ran (`/proc/<pid>/cmdline` after node), e.g. the prebuilt bundle. */
  engineCommand?: string;
  /** The engine runs: deliveries its worker took straight from ingest vs by a claim, over the whole run. */
  taken?: { handoff: number; claim: number };
}

/** A process's command line after the node binary (Linux), to tell which engine build a run used. */
export function commandOf(pid: number): string | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return args.slice(1).join(" ");
  } catch {
    return undefined;
  }
}

export function loadAverage(): number[] {
  return loadavg().map((l) => round(l, 2));
}

/** Measures one process's CPU over a stretch: `msPer(count)` gives ms per counted item since it was made. */
export function cpuMeter(pid: number) {
  const before = cpuSeconds(pid);
  return {
    msPer(count: number): number | null {
      const after = cpuSeconds(pid);
      if (before === undefined || after === undefined || count === 0) return null;
      return round(((after - before) * 1000) / count, 3);
    },
  };
}

/** A contender's result before it has measured anything (invalid until its checks say otherwise). */
export function newResult(key: ContenderKey, contender: string, events: number): ContenderResult {
  return {
    key,
    contender,
    events,
    loadAverageAtStart: loadAverage(),
    oneByOne: null,
    bulk: null,
    latencyMs: null,
    latencyEvents: 0,
    peakRssMb: null,
    correctness: { valid: false, phases: [], problems: [] },
  };
}

/** Deliveries/s of a phase: those that arrived, from its first send to the arrival of the last one. */
export function deliveryRate(tracker: Tracker, startedAt: number): number {
  const seconds = (tracker.lastArrival - startedAt) / 1000;
  return tracker.arrived > 0 && seconds > 0 ? round(tracker.arrived / seconds, 0) : 0;
}

/** The contender's process's peak RSS (VmHWM) at the end of its run, in whole MiB. */
export function recordPeakRss(result: ContenderResult, pid: number) {
  const rss = peakRssMb(pid);
  result.peakRssMb = rss === undefined ? null : round(rss, 0);
}

/** A run that stopped with an error: its figures are partial, and the contender is invalid. */
export function recordStop(result: ContenderResult, checks: Checks, error: unknown) {
  result.error = error instanceof Error ? error.message : String(error);
  checks.problem(`the run stopped: ${result.error}`);
}
