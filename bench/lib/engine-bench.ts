// The engine as a contender: its own process on a fresh database, one connector to the sink, events sent
// one by one by concurrent clients (POST /v1/events), in bulk (POST /v1/events/batch) and at a steady
// rate; then every delivery must be SUCCESS, none in the DLQ, each event at the sink exactly once.
import { awaitArrivals, type Checks, createChecks } from "./correctness.ts";
import { plainConnector, setUpFeatures } from "./features-bench.ts";
import { type Driver, type IngestEngine, startIngestEngine } from "./ingest-engine.ts";
import { bulkIngest, closedLoop, openLoop } from "./load.ts";
import {
  type ContenderResult,
  commandOf,
  cpuMeter,
  deliveryRate,
  newResult,
  recordPeakRss,
  recordStop,
} from "./result.ts";
import { idsOf, type Sink } from "./sink.ts";
import { latencySummary, round, until } from "./stats.ts";

const WARM_UP = 300;
const BULK = 500;

/** Sum of a metric's samples in Prometheus text whose labels match `filter`. */
export function metricSum(text: string, name: string, filter: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    if (filter(match[2] ?? "")) sum += Number(match[3]);
  }
  return sum;
}

/** Wait until the engine has no delivery left to finish (PENDING, PROCESSING, RETRY_SCHEDULED). */
async function settled(ie: IngestEngine, checks: Checks, phase: string) {
  const open = async () => {
    const { json } = await ie.request("GET", "/metrics");
    return metricSum(String(json), "ib_deliveries_queue", (l) => !l.includes('status="DLQ"'));
  };
  await until(async () => (await open()) === 0, { timeoutMs: 60_000, intervalMs: 50, what: "deliveries to finish" })
    .then(() => undefined)
    .catch(async () => checks.problem(`${phase}: ${await open()} deliveries still unfinished after 60 s`));
}

/** Every delivery the connector has must be SUCCESS: `expected` of them, nothing in another status. */
async function checkStatuses(ie: IngestEngine, checks: Checks, connectorId: string, expected: number) {
  const metrics = await ie.admin<{ counts: Record<string, number>; dlqOpen: number }>(
    "GET",
    `/connectors/${connectorId}/metrics`,
  );
  const others = Object.entries(metrics.counts).filter(([status, n]) => status !== "SUCCESS" && n > 0);
  if (metrics.counts.SUCCESS !== expected)
    checks.problem(`${metrics.counts.SUCCESS} deliveries SUCCESS, ${expected} events sent`);
  if (others.length > 0) checks.problem(`deliveries not SUCCESS: ${others.map(([s, n]) => `${n} ${s}`).join(", ")}`);
  if (metrics.dlqOpen > 0) checks.problem(`${metrics.dlqOpen} deliveries in the DLQ`);
  return metrics.counts;
}

export async function benchEngine(options: {
  driver: Driver;
  databaseUrl?: string;
  sink: Sink;
  events: number;
  clients: number;
  /** The bulk and latency phases (the features run measures only one by one). */
  bulk: boolean;
  latency?: { rate: number; seconds: number };
  /** The connector with a filter, an expression mapping and an enforced schema (features-bench.ts). */
  features?: boolean;
  /** Makes this contender's event ids unique in the run. */
  tag: string;
  nodeArgs?: string[];
  log: (line: string) => void;
}): Promise<ContenderResult & { deliveries?: Record<string, number> }> {
  const { sink, events, clients, tag, driver } = options;
  const checks = createChecks(sink);
  const features = options.features === true;
  const result: ContenderResult & { deliveries?: Record<string, number> } = newResult(
    features ? (driver === "postgres" ? "featuresPostgres" : "featuresPglite") : driver,
    features ? `engine + features (${driver})` : `engine (${driver})`,
    events,
  );
  let ie: IngestEngine | undefined;
  try {
    ie = await startIngestEngine({ driver, databaseUrl: options.databaseUrl, nodeArgs: options.nodeArgs });
    const connectorId = features
      ? await setUpFeatures(ie, sink.url)
      : (await ie.admin<{ id: string }>("PUT", "/connectors", plainConnector(sink.url), [201])).id;
    const pid = ie.engine.pid;
    result.engineCommand = commandOf(pid);
    let sent = 0;

    // Warm-up (JIT, pools, prepared statements, compiled expressions and schema), not measured.
    const warm = checks.follow("warm-up", idsOf(`${tag}warm`, WARM_UP));
    await closedLoop(ie.target, { total: WARM_UP, clients, prefix: `${tag}warm` });
    sent += WARM_UP;
    await awaitArrivals(warm);
    await settled(ie, checks, "warm-up");

    const one = checks.follow("one by one", idsOf(`${tag}one`, events));
    let cpu = cpuMeter(pid);
    const ingest = await closedLoop(ie.target, { total: events, clients, prefix: `${tag}one` });
    sent += events;
    options.log(
      `  ${result.contender}: ${events} events ingested in ${((ingest.finished - ingest.started) / 1000).toFixed(2)} s`,
    );
    await awaitArrivals(one);
    await settled(ie, checks, "one by one");
    result.oneByOne = {
      enqueuePerSecond: round(events / ((ingest.finished - ingest.started) / 1000), 0),
      deliveriesPerSecond: deliveryRate(one, ingest.started),
      cpuMsPerDelivery: cpu.msPer(one.arrived),
    };

    if (options.bulk) {
      const bulk = checks.follow("bulk", idsOf(`${tag}bulk`, events));
      cpu = cpuMeter(pid);
      const batches = await bulkIngest(ie.target, { total: events, batchSize: BULK, prefix: `${tag}bulk` });
      sent += events;
      await awaitArrivals(bulk);
      await settled(ie, checks, "bulk");
      result.bulk = {
        deliveriesPerSecond: deliveryRate(bulk, batches.started),
        cpuMsPerDelivery: cpu.msPer(bulk.arrived),
      };
    }

    if (options.latency) {
      const total = Math.round(options.latency.rate * options.latency.seconds);
      const paced = checks.follow("latency", idsOf(`${tag}lat`, total));
      const run = await openLoop(ie.target, { ...options.latency, prefix: `${tag}lat` });
      sent += run.sent.length;
      await awaitArrivals(paced);
      await settled(ie, checks, "latency");
      const fromSend: number[] = [];
      const fromAccept: number[] = [];
      for (const s of run.sent) {
        const at = sink.arrivals.get(s.id);
        if (at === undefined) continue;
        fromSend.push(at - s.sentAt);
        fromAccept.push(Math.max(0, at - s.acceptedAt));
      }
      result.latencyMs = { sentToReceived: latencySummary(fromSend), acceptedToReceived: latencySummary(fromAccept) };
      result.latencyEvents = fromSend.length;
    }

    result.deliveries = await checkStatuses(ie, checks, connectorId, sent);
    const { json: metrics } = await ie.request("GET", "/metrics");
    const taken = (how: string) =>
      metricSum(String(metrics), "ib_worker_deliveries_taken_total", (l) => l.includes(`how="${how}"`));
    result.taken = { handoff: taken("handoff"), claim: taken("claim") };
    recordPeakRss(result, pid);
  } catch (error) {
    recordStop(result, checks, error);
    if (ie) options.log(ie.engine.output().slice(-3000));
  } finally {
    await ie?.stop().catch((error) => checks.problem(`stopping the engine: ${String(error)}`));
  }
  result.correctness = checks.report();
  return result;
}
