import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDatabase } from "./database.ts";
import { cpuSeconds, type EngineProcess, peakRssMb, startEngine } from "./engine-process.ts";
import { bulkIngest, closedLoop, openLoop } from "./load.ts";
import type { Sink } from "./sink.ts";
import { until } from "./stats.ts";

export const SOURCE_EVENT = "bench.order.created";

/** The connector under test: the sink as destination and a 5-field mapping. */
export function benchConnector(sinkUrl: string) {
  return {
    name: "Bench sink",
    enabled: true,
    sourceEvent: SOURCE_EVENT,
    destination: { url: sinkUrl, method: "POST" as const },
    mapping: {
      eventId: "$.id",
      orderId: "$.payload.orderId",
      customerEmail: "$.payload.customer.email",
      amount: "$.payload.amount.value",
      currency: "$.payload.amount.currency",
    },
    timeoutMs: 10_000,
    retryMaxAttempts: 5,
    retryBackoffBaseMs: 1_000,
  };
}

export interface EngineRunResult {
  driver: "postgres" | "pglite";
  events: number;
  ingestPerSecond: number;
  ingestSeconds: number;
  deliveriesPerSecond: number;
  deliverySeconds: number;
  /** Engine CPU time per event over the throughput run (ingest + delivery): independent of other load. */
  cpuMsPerEvent: number | undefined;
  /** Deliveries/s when the events arrive in bulk (POST /v1/events/batch, 500 a call): the worker's rate. */
  bulkDeliveriesPerSecond: number;
  bulkCpuMsPerEvent: number | undefined;
  duplicates: number;
  latencySamples: number[];
  latencyFromAcceptSamples: number[];
  latencyEvents: number;
  peakRssMb: number | undefined;
  connectorCreatedVia: "api" | "direct insert";
}

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

export async function benchEngine(options: {
  driver: "postgres" | "pglite";
  databaseUrl?: string;
  sink: Sink;
  events: number;
  clients: number;
  latency: { rate: number; seconds: number };
  env?: Record<string, string>;
  nodeArgs?: string[];
  log: (line: string) => void;
}): Promise<EngineRunResult> {
  const token = `ib_bench_${randomBytes(16).toString("hex")}`;
  const dataDir = mkdtempSync(join(tmpdir(), "ib-bench-"));
  const db = options.driver === "postgres" ? await freshDatabase(options.databaseUrl as string, "ib_bench") : undefined;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    IB_DATA_DIR: dataDir,
    IB_ADMIN_TOKEN: token,
    IB_MASTER_KEY: randomBytes(32).toString("base64"),
    IB_ALLOW_PRIVATE_DESTINATIONS: "1",
    ...(db ? { DATABASE_URL: db.url } : {}),
    ...options.env,
  };
  let engine: EngineProcess | undefined;
  try {
    engine = await startEngine(env, { nodeArgs: options.nodeArgs });
    let via: EngineRunResult["connectorCreatedVia"] = "api";
    const created = await fetch(`${engine.baseUrl}/admin/integration-builder/connectors`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(benchConnector(options.sink.url)),
    });
    if (created.status === 404) {
      // The connectors route is not there yet: seed the row with the engine stopped (PGlite is one process).
      await engine.stop();
      await seedConnector(env, options.sink.url);
      engine = await startEngine(env, { nodeArgs: options.nodeArgs });
      via = "direct insert";
    } else if (!created.ok) {
      throw new Error(`creating the connector answered ${created.status}: ${await created.text()}`);
    }
    const target = { baseUrl: engine.baseUrl, token };
    const sink = options.sink;
    const baseUrl = engine.baseUrl;
    const allFinished = async () => {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      const open = metricSum(text, "ib_deliveries_queue", (l) => !l.includes('status="DLQ"'));
      const dlq = metricSum(text, "ib_deliveries_queue", (l) => l.includes('status="DLQ"'));
      if (dlq > 0) throw new Error(`${dlq} deliveries in the DLQ`);
      return open === 0;
    };

    // Warm-up (JIT, pools, prepared statements), not measured.
    sink.reset();
    await closedLoop(target, { total: 300, clients: options.clients, prefix: "warm" });
    await until(() => sink.arrivals.size >= 300, { timeoutMs: 60_000, what: "engine warm-up" });
    await until(allFinished, { timeoutMs: 30_000, what: "warm-up deliveries to finish" });

    // (a) throughput
    sink.reset();
    const cpuBefore = cpuSeconds(engine.pid);
    const ingest = await closedLoop(target, { total: options.events, clients: options.clients, prefix: "thr" });
    const ingestSeconds = (ingest.finished - ingest.started) / 1000;
    options.log(`  ${options.driver}: ${options.events} events ingested in ${ingestSeconds.toFixed(2)} s`);
    await until(() => sink.arrivals.size >= options.events, {
      timeoutMs: 600_000,
      intervalMs: 50,
      what: "every delivery to reach the sink",
    });
    const deliverySeconds = (sink.lastArrival - ingest.started) / 1000;
    await until(allFinished, { timeoutMs: 60_000, intervalMs: 50, what: "every delivery to be SUCCESS" });
    const duplicates = sink.duplicates;
    const cpuAfter = cpuSeconds(engine.pid);
    const cpuMsPerEvent =
      cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) * 1000) / options.events : undefined;

    // (a2) the same number of events in bulk: what the delivery side sustains when ingest is not the limit
    sink.reset();
    const bulkCpuBefore = cpuSeconds(engine.pid);
    const bulk = await bulkIngest(target, { total: options.events, batchSize: 500, prefix: "bulk" });
    options.log(
      `  ${options.driver}: ${options.events} events bulk-ingested in ${((bulk.finished - bulk.started) / 1000).toFixed(2)} s`,
    );
    await until(() => sink.arrivals.size >= options.events, {
      timeoutMs: 600_000,
      intervalMs: 50,
      what: "every bulk delivery to reach the sink",
    });
    const bulkDeliveriesPerSecond = options.events / ((sink.lastArrival - bulk.started) / 1000);
    await until(allFinished, { timeoutMs: 60_000, intervalMs: 50, what: "every bulk delivery to be SUCCESS" });
    const bulkCpuAfter = cpuSeconds(engine.pid);
    const bulkCpuMsPerEvent =
      bulkCpuBefore !== undefined && bulkCpuAfter !== undefined
        ? ((bulkCpuAfter - bulkCpuBefore) * 1000) / options.events
        : undefined;

    // (b) latency at a steady rate
    sink.reset();
    const paced = await openLoop(target, { ...options.latency, prefix: "lat" });
    await until(() => sink.arrivals.size >= paced.sent.length, { timeoutMs: 120_000, what: "latency run" });
    const latencySamples = paced.sent.map((s) => (sink.arrivals.get(s.id) as number) - s.sentAt);
    const latencyFromAcceptSamples = paced.sent.map((s) =>
      Math.max(0, (sink.arrivals.get(s.id) as number) - s.acceptedAt),
    );

    return {
      driver: options.driver,
      events: options.events,
      ingestPerSecond: options.events / ingestSeconds,
      ingestSeconds,
      deliveriesPerSecond: options.events / deliverySeconds,
      deliverySeconds,
      cpuMsPerEvent,
      bulkDeliveriesPerSecond,
      bulkCpuMsPerEvent,
      duplicates,
      latencySamples,
      latencyFromAcceptSamples,
      latencyEvents: paced.sent.length,
      peakRssMb: peakRssMb(engine.pid),
      connectorCreatedVia: via,
    };
  } catch (error) {
    if (engine) options.log(engine.output().slice(-3000));
    throw error;
  } finally {
    await engine?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Insert the bench connector straight into the database (before the engine owns it). */
async function seedConnector(env: Record<string, string>, sinkUrl: string) {
  const { connectors, createDb, migrate } = await import("@ib/db");
  const { ENGINE_MIGRATIONS } = await import("@ib/db/migrations");
  const handle = await createDb(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: join(env.IB_DATA_DIR as string, "pglite") },
  );
  try {
    await migrate(handle, { migrationsFolder: ENGINE_MIGRATIONS });
    const c = benchConnector(sinkUrl);
    await handle.db.insert(connectors).values({ id: `con_bench${randomBytes(6).toString("hex")}`, ...c });
  } finally {
    await handle.close();
  }
}
