// What a team would build instead of the engine: a job queue whose worker maps the event and POSTs it.
// The phases every job-queue baseline goes through (graphile-worker and BullMQ alike), with the worker
// in its own process like the engine, so its CPU and peak RSS are measured the same way.
import { type ChildProcess, spawn } from "node:child_process";
import { awaitArrivals, createChecks } from "../lib/correctness.ts";
import { ROOT } from "../lib/engine-process.ts";
import { benchEvent } from "../lib/load.ts";
import { type ContenderResult, cpuMeter, deliveryRate, newResult, recordPeakRss, recordStop } from "../lib/result.ts";
import { idsOf, type Sink } from "../lib/sink.ts";
import { latencySummary, nowMs, round, until } from "../lib/stats.ts";

export type QueuedEvent = ReturnType<typeof benchEvent>;

/** The producer side of a job queue, as an ingest handler would hold it. */
export interface QueueClient {
  add(event: QueuedEvent): Promise<unknown>;
  addBulk(events: QueuedEvent[]): Promise<unknown>;
  /** Jobs not completed: waiting, running, retrying or failed (completed jobs are removed). */
  left(): Promise<number>;
  /** Release the client and remove what the run left (database, queue keys). */
  close(): Promise<void>;
}

export interface QueueBaseline {
  key: "graphile" | "bullmq";
  contender: string;
  /** The worker's script (relative to the repository root) and its environment. */
  worker: { script: string; env: Record<string, string> };
  client: QueueClient;
}

export interface BaselineOptions {
  sink: Sink;
  jobs: number;
  clients: number;
  concurrency: number;
  latency: { rate: number; seconds: number };
  /** Makes this contender's event ids unique in the run. */
  tag: string;
  log: (line: string) => void;
}

const WARM_UP = 300;
const BULK = 500;

/** `total` adds from `clients` concurrent loops, each waiting for its add before the next. */
async function addOneByOne(client: QueueClient, total: number, clients: number, prefix: string) {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const n = next++;
        if (n >= total) return;
        await client.add(benchEvent(`${prefix}_${n}`, n));
      }
    }),
  );
}

/** Open loop: one add every 1000/rate ms, whether or not earlier ones returned; when each was sent. */
async function addPaced(client: QueueClient, rate: number, seconds: number, prefix: string) {
  const sent = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const started = nowMs();
  const pending: Promise<unknown>[] = [];
  for (let n = 0; n < total; n++) {
    const wait = started + (n * 1000) / rate - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `${prefix}_${n}`;
    sent.set(id, nowMs());
    pending.push(client.add(benchEvent(id, n)));
  }
  await Promise.all(pending);
  return sent;
}

/** A baseline's own process (`node --import tsx <script>`), ready once it prints "ready". */
export function startWorker(worker: QueueBaseline["worker"]) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", worker.script], {
    cwd: ROOT,
    env: { ...process.env, ...worker.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  return {
    child,
    ready: () =>
      until(
        () => {
          if (child.exitCode !== null) throw new Error(`${worker.script} exited with ${child.exitCode}`);
          return output.includes("ready");
        },
        { timeoutMs: 60_000, what: `${worker.script} to start` },
      ),
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

export async function benchQueueBaseline(baseline: QueueBaseline, options: BaselineOptions): Promise<ContenderResult> {
  const { sink, jobs, clients } = options;
  const client = baseline.client;
  const checks = createChecks(sink);
  const result = newResult(baseline.key, baseline.contender, jobs);
  const worker = startWorker(baseline.worker);
  const pid = worker.child.pid as number;
  const drained = async (phase: string) => {
    const ok = await until(async () => (await client.left()) === 0, { timeoutMs: 30_000, what: "the queue to drain" })
      .then(() => true)
      .catch(() => false);
    if (!ok) checks.problem(`${phase}: ${await client.left()} jobs still in the queue (failed or never run)`);
  };
  try {
    await worker.ready();
    // Warm-up (JIT, connection pools), not measured.
    const warm = checks.follow("warm-up", idsOf(`${options.tag}warm`, WARM_UP));
    await addOneByOne(client, WARM_UP, clients, `${options.tag}warm`);
    await awaitArrivals(warm);
    await drained("warm-up");

    // One add per event from the concurrent clients, as an ingest handler would: the counterpart of
    // the engine's POST /v1/events run.
    const onePrefix = `${options.tag}one`;
    const one = checks.follow("one by one", idsOf(onePrefix, jobs));
    let cpu = cpuMeter(pid);
    let started = nowMs();
    await addOneByOne(client, jobs, clients, onePrefix);
    const enqueueSeconds = (nowMs() - started) / 1000;
    await awaitArrivals(one);
    await drained("one by one");
    result.oneByOne = {
      enqueuePerSecond: round(jobs / enqueueSeconds, 0),
      deliveriesPerSecond: deliveryRate(one, started),
      cpuMsPerDelivery: cpu.msPer(one.arrived),
    };
    options.log(`  ${baseline.key}: ${jobs} jobs added one by one at ${result.oneByOne.enqueuePerSecond}/s`);

    // In bulk, so that adding never holds the worker back: its processing rate at its best.
    const bulkPrefix = `${options.tag}bulk`;
    const bulk = checks.follow("bulk", idsOf(bulkPrefix, jobs));
    cpu = cpuMeter(pid);
    started = nowMs();
    for (let from = 0; from < jobs; from += BULK) {
      const events = [];
      for (let n = from; n < Math.min(jobs, from + BULK); n++) events.push(benchEvent(`${bulkPrefix}_${n}`, n));
      await client.addBulk(events);
    }
    await awaitArrivals(bulk);
    await drained("bulk");
    result.bulk = {
      deliveriesPerSecond: deliveryRate(bulk, started),
      cpuMsPerDelivery: cpu.msPer(bulk.arrived),
    };

    const latencyPrefix = `${options.tag}lat`;
    const total = Math.round(options.latency.rate * options.latency.seconds);
    const paced = checks.follow("latency", idsOf(latencyPrefix, total));
    const sent = await addPaced(client, options.latency.rate, options.latency.seconds, latencyPrefix);
    await awaitArrivals(paced);
    await drained("latency");
    const samples = [...sent].flatMap(([id, at]) => {
      const arrived = sink.arrivals.get(id);
      return arrived === undefined ? [] : [arrived - at];
    });
    result.latencyMs = { sentToReceived: latencySummary(samples) };
    result.latencyEvents = samples.length;
    recordPeakRss(result, pid);
  } catch (error) {
    recordStop(result, checks, error);
  } finally {
    await worker.stop();
    await client.close().catch((error) => checks.problem(`cleaning up: ${String(error)}`));
  }
  result.correctness = checks.report();
  return result;
}
