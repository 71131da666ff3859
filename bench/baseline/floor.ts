// The durable floor (`--only floor`): durable-floor.ts in its own process on a fresh PostgreSQL database,
// driven exactly like the engine (the same clients, POST /v1/events one by one, /v1/events/batch in bulk,
// the same paced run) and checked the same way (each event at the sink once, every row SUCCESS). It is
// the ceiling an HTTP ingest that commits before answering reaches on this machine with no engine logic:
// a job-queue ratio the floor itself does not reach is out of reach for the engine too.
import { freePort } from "@ib/testing";
import { awaitArrivals, createChecks } from "../lib/correctness.ts";
import { freshDatabase } from "../lib/database.ts";
import { postgres } from "../lib/deps.ts";
import { bulkIngest, closedLoop, type IngestTarget, openLoop } from "../lib/load.ts";
import { type ContenderResult, cpuMeter, deliveryRate, newResult, recordPeakRss, recordStop } from "../lib/result.ts";
import { idsOf, type Sink } from "../lib/sink.ts";
import { latencySummary, round, until } from "../lib/stats.ts";
import { startWorker } from "./queue-baseline.ts";

const WARM_UP = 300;
const BULK = 500;

export async function benchFloor(options: {
  databaseUrl: string;
  sink: Sink;
  events: number;
  clients: number;
  concurrency: number;
  latency: { rate: number; seconds: number };
  tag: string;
}): Promise<ContenderResult> {
  const { sink, events, clients, tag } = options;
  const checks = createChecks(sink);
  const result = newResult("floor", "durable floor (node:http + one table)", events);
  const db = await freshDatabase(options.databaseUrl, "ib_bench_floor");
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  const port = await freePort();
  const server = startWorker({
    script: "bench/baseline/durable-floor.ts",
    env: {
      DATABASE_URL: db.url,
      SINK_URL: sink.url,
      PORT: String(port),
      CONCURRENCY: String(options.concurrency),
    },
  });
  const target: IngestTarget = { baseUrl: `http://127.0.0.1:${port}`, token: "" };
  const open = async () => (await sql`select count(*)::int as n from floor_events where status <> 'SUCCESS'`)[0]?.n;
  const settled = (phase: string) =>
    until(async () => (await open()) === 0, { timeoutMs: 30_000, intervalMs: 50, what: "outcomes" }).catch(async () =>
      checks.problem(`${phase}: ${await open()} events without a recorded delivery after 30 s`),
    );
  try {
    await server.ready();
    const pid = server.child.pid as number;
    const warm = checks.follow("warm-up", idsOf(`${tag}warm`, WARM_UP));
    await closedLoop(target, { total: WARM_UP, clients, prefix: `${tag}warm` });
    await awaitArrivals(warm);
    await settled("warm-up");

    const one = checks.follow("one by one", idsOf(`${tag}one`, events));
    let cpu = cpuMeter(pid);
    const ingest = await closedLoop(target, { total: events, clients, prefix: `${tag}one` });
    await awaitArrivals(one);
    await settled("one by one");
    result.oneByOne = {
      enqueuePerSecond: round(events / ((ingest.finished - ingest.started) / 1000), 0),
      deliveriesPerSecond: deliveryRate(one, ingest.started),
      cpuMsPerDelivery: cpu.msPer(one.arrived),
    };

    const bulk = checks.follow("bulk", idsOf(`${tag}bulk`, events));
    cpu = cpuMeter(pid);
    const batches = await bulkIngest(target, { total: events, batchSize: BULK, prefix: `${tag}bulk` });
    await awaitArrivals(bulk);
    await settled("bulk");
    result.bulk = {
      deliveriesPerSecond: deliveryRate(bulk, batches.started),
      cpuMsPerDelivery: cpu.msPer(bulk.arrived),
    };

    const paced = checks.follow(
      "latency",
      idsOf(`${tag}lat`, Math.round(options.latency.rate * options.latency.seconds)),
    );
    const run = await openLoop(target, { ...options.latency, prefix: `${tag}lat` });
    await awaitArrivals(paced);
    await settled("latency");
    const fromSend = run.sent.flatMap((s) => {
      const at = sink.arrivals.get(s.id);
      return at === undefined ? [] : [at - s.sentAt];
    });
    result.latencyMs = { sentToReceived: latencySummary(fromSend) };
    result.latencyEvents = fromSend.length;
    recordPeakRss(result, pid);
  } catch (error) {
    recordStop(result, checks, error);
  } finally {
    await server.stop();
    await sql.end({ timeout: 5 });
    await db.drop().catch((error) => checks.problem(`cleaning up: ${String(error)}`));
  }
  result.correctness = checks.report();
  return result;
}
