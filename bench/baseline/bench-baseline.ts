import { spawn } from "node:child_process";
import { freshDatabase } from "../lib/database.ts";
import { graphile, pg } from "../lib/deps.ts";
import { cpuSeconds, peakRssMb, ROOT } from "../lib/engine-process.ts";
import { benchEvent } from "../lib/load.ts";
import type { Sink } from "../lib/sink.ts";
import { nowMs, until } from "../lib/stats.ts";

export interface BaselineResult {
  contender: string;
  concurrency: number;
  jobs: number;
  enqueuePerSecond: number;
  deliveriesPerSecond: number;
  seconds: number;
  /** CPU time of the worker process per job over the throughput run. */
  cpuMsPerJob: number | undefined;
  /** End to end with one addJob per event from the concurrent clients (as an ingest handler would). */
  perEventDeliveriesPerSecond: number;
  duplicates: number;
  peakRssMb: number | undefined;
  latency?: { sentToReceived: number[] };
}

/**
 * The same N deliveries driven by graphile-worker: jobs added in bulk, the worker process POSTs each
 * to the sink. Deliveries/s runs from the first enqueue to the last arrival, like the engine's.
 */
export async function benchBaseline(options: {
  databaseUrl: string;
  sink: Sink;
  jobs: number;
  clients: number;
  concurrency: number;
  latency?: { rate: number; seconds: number };
  log: (line: string) => void;
}): Promise<BaselineResult & { latencySamples?: number[] }> {
  const db = await freshDatabase(options.databaseUrl, "ib_bench_graphile");
  // Our own pool, so dropping the database at the end cannot crash us with an unhandled pool error.
  const pool = new pg.Pool({ connectionString: db.url, max: options.clients });
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const utils = await graphile.makeWorkerUtils({ pgPool: pool as never });
  await utils.migrate();
  const child = spawn(process.execPath, ["--import", "tsx", "bench/baseline/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, SINK_URL: options.sink.url, CONCURRENCY: String(options.concurrency) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  try {
    await until(
      () => {
        if (child.exitCode !== null) throw new Error(`graphile-worker exited with ${child.exitCode}`);
        return output.includes("ready");
      },
      { timeoutMs: 60_000, what: "graphile-worker to start" },
    );
    const sink = options.sink;

    // Warm-up (JIT, connection pools), not measured.
    sink.reset();
    await enqueue(utils, 300, options.clients, "warm");
    await until(() => sink.arrivals.size >= 300, { timeoutMs: 60_000, what: "baseline warm-up" });

    // End to end with one addJob per event from the concurrent clients, as an ingest handler would do:
    // the counterpart of the engine's POST /v1/events run.
    sink.reset();
    const perEventStarted = nowMs();
    const perEventEnqueued = await enqueue(utils, options.jobs, options.clients, "one");
    const enqueuePerSecond = options.jobs / ((perEventEnqueued - perEventStarted) / 1000);
    await until(() => sink.arrivals.size >= options.jobs, {
      timeoutMs: 600_000,
      intervalMs: 50,
      what: "every per-event baseline job to reach the sink",
    });
    const perEventDeliveriesPerSecond = options.jobs / ((sink.lastArrival - perEventStarted) / 1000);
    options.log(`  baseline: ${options.jobs} jobs added one by one at ${enqueuePerSecond.toFixed(0)}/s`);

    // Throughput: jobs added in bulk (addJobs, 500 a call) so that enqueueing never holds the worker
    // back; this measures graphile-worker's processing rate at its best.
    sink.reset();
    const cpuBefore = cpuSeconds(child.pid as number);
    const started = nowMs();
    for (let from = 0; from < options.jobs; from += 500) {
      const specs = [];
      for (let n = from; n < Math.min(options.jobs, from + 500); n++)
        specs.push({ identifier: "deliver", payload: benchEvent(`thr_${n}`, n) });
      await utils.addJobs(specs);
    }
    const enqueueSeconds = (nowMs() - started) / 1000;
    options.log(`  baseline: ${options.jobs} jobs bulk-enqueued in ${enqueueSeconds.toFixed(2)} s`);
    await until(() => sink.arrivals.size >= options.jobs, {
      timeoutMs: 600_000,
      intervalMs: 50,
      what: "every baseline job to reach the sink",
    });
    const seconds = (sink.lastArrival - started) / 1000;
    const cpuAfter = cpuSeconds(child.pid as number);
    const cpuMsPerJob =
      cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) * 1000) / options.jobs : undefined;
    // Completed jobs are deleted: the table must be empty (nothing failed or still retrying).
    await until(
      async () => {
        const result = (await utils.withPgClient((c) =>
          c.query("select count(*)::int as n from graphile_worker.jobs"),
        )) as unknown as { rows: Array<{ n: number }> };
        return result.rows[0]?.n === 0;
      },
      { timeoutMs: 30_000, what: "graphile_worker.jobs to drain" },
    );

    let latencySamples: number[] | undefined;
    if (options.latency) {
      sink.reset();
      const sent = await paced(utils, options.latency.rate, options.latency.seconds);
      await until(() => sink.arrivals.size >= sent.size, { timeoutMs: 120_000, what: "baseline latency run" });
      latencySamples = [...sent].map(([id, at]) => (sink.arrivals.get(id) as number) - at);
    }

    return {
      contender: "graphile-worker 0.17.3 + fetch",
      concurrency: options.concurrency,
      jobs: options.jobs,
      enqueuePerSecond,
      deliveriesPerSecond: options.jobs / seconds,
      seconds,
      cpuMsPerJob,
      perEventDeliveriesPerSecond,
      duplicates: sink.duplicates,
      peakRssMb: peakRssMb(child.pid as number),
      latencySamples,
    };
  } finally {
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await utils.release();
    await pool.end();
    await db.drop();
  }
}

type WorkerUtils = Awaited<ReturnType<typeof graphile.makeWorkerUtils>>;

/** `total` addJob calls from `clients` concurrent loops; resolves with the time the last one returned. */
async function enqueue(utils: WorkerUtils, total: number, clients: number, prefix: string): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const n = next++;
        if (n >= total) return;
        await utils.addJob("deliver", benchEvent(`${prefix}_${n}`, n));
      }
    }),
  );
  return nowMs();
}

/** Open loop at `rate` jobs/s for `seconds`; returns when each job was sent. */
async function paced(utils: WorkerUtils, rate: number, seconds: number): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const started = nowMs();
  const pending: Promise<unknown>[] = [];
  for (let n = 0; n < total; n++) {
    const wait = started + (n * 1000) / rate - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `lat_${n}`;
    sent.set(id, nowMs());
    pending.push(utils.addJob("deliver", benchEvent(id, n)));
  }
  await Promise.all(pending);
  return sent;
}
