// `npm run bench`: the engine on PostgreSQL and on PGlite against graphile-worker 0.17 doing the same
// deliveries, all to one local sink. Prints a table and writes bench/results/<timestamp>.json.
// Options: --events N (20000), --clients N (16), --rate N (200), --seconds N (20),
//          --only postgres,pglite,baseline, --concurrency N (baseline worker concurrency, 32), --cpu-prof
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchBaseline } from "./baseline/bench-baseline.ts";
import { type BrokerBenchResult, benchBrokers } from "./lib/broker-bench.ts";
import { benchCatalog, type CatalogBenchResult } from "./lib/catalog-bench.ts";
import { benchEngine, type EngineRunResult } from "./lib/engine-bench.ts";
import { ROOT } from "./lib/engine-process.ts";
import { benchExpressionsIn, type ExpressionBenchResult } from "./lib/expression-bench.ts";
import { benchFilters, type FilterBenchResult } from "./lib/filter-bench.ts";
import { startSink } from "./lib/sink.ts";
import { percentile, round } from "./lib/stats.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "20000" },
    clients: { type: "string", default: "16" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    only: { type: "string", default: "baseline,postgres,pglite,expressions,filters,catalog,brokers" },
    "broker-messages": { type: "string", default: "5000" },
    "catalog-events": { type: "string", default: "6000" },
    concurrency: { type: "string", default: "32" },
    "filter-events": { type: "string", default: "6000" },
    "cpu-prof": { type: "boolean", default: false },
  },
});

const events = Number(values.events);
const clients = Number(values.clients);
const latency = { rate: Number(values.rate), seconds: Number(values.seconds) };
const only = new Set(values.only.split(","));
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const log = (line: string) => process.stdout.write(`${line}\n`);

const TARGETS = { ratio: 3, p50Ms: 10, p99Ms: 50, pgliteDeliveriesPerSecond: 1000, rssMb: 300 };

function latencySummary(samples: number[]) {
  return {
    p50: round(percentile(samples, 50), 2),
    p95: round(percentile(samples, 95), 2),
    p99: round(percentile(samples, 99), 2),
    max: round(Math.max(...samples), 2),
  };
}

function engineSummary(r: EngineRunResult) {
  return {
    driver: r.driver,
    connectorCreatedVia: r.connectorCreatedVia,
    events: r.events,
    ingestPerSecond: round(r.ingestPerSecond, 0),
    deliveriesPerSecond: round(r.deliveriesPerSecond, 0),
    deliverySeconds: round(r.deliverySeconds, 2),
    bulkDeliveriesPerSecond: round(r.bulkDeliveriesPerSecond, 0),
    bulkCpuMsPerEvent: r.bulkCpuMsPerEvent === undefined ? null : round(r.bulkCpuMsPerEvent, 3),
    cpuMsPerEvent: r.cpuMsPerEvent === undefined ? null : round(r.cpuMsPerEvent, 3),
    duplicates: r.duplicates,
    latencyMs: {
      sentToReceived: latencySummary(r.latencySamples),
      acceptedToReceived: latencySummary(r.latencyFromAcceptSamples),
    },
    latencyEvents: r.latencyEvents,
    peakRssMb: r.peakRssMb === undefined ? null : round(r.peakRssMb, 0),
  };
}

async function main() {
  if (!databaseUrl && (only.has("postgres") || only.has("baseline"))) {
    log("BENCH_DATABASE_URL / TEST_DATABASE_URL is not set: PostgreSQL and the graphile-worker baseline are skipped.");
    only.delete("postgres");
    only.delete("baseline");
  }
  const loadBefore = loadavg().map((l) => round(l, 2));
  if ((loadBefore[0] ?? 0) > cpus().length * 0.5)
    log(
      `note: the machine is busy (load average ${loadBefore.join(" ")} on ${cpus().length} CPUs); numbers will be noisy`,
    );
  const sink = await startSink();
  const profDir = join(ROOT, "bench", "results", "profiles");
  const nodeArgs = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
  const results: Record<string, unknown> = {};
  let baseline: Awaited<ReturnType<typeof benchBaseline>> | undefined;
  let pg: ReturnType<typeof engineSummary> | undefined;
  let pglite: ReturnType<typeof engineSummary> | undefined;
  const expressions: (ExpressionBenchResult & { nodeArgs: string[] })[] = [];
  const filters: FilterBenchResult[] = [];
  const catalog: CatalogBenchResult[] = [];
  const brokers: BrokerBenchResult[] = [];
  try {
    if (only.has("baseline")) {
      log(`baseline: graphile-worker 0.17.3, ${events} jobs, concurrency ${values.concurrency} ...`);
      baseline = await benchBaseline({
        databaseUrl: databaseUrl as string,
        sink,
        jobs: events,
        clients,
        concurrency: Number(values.concurrency),
        latency,
        log,
      });
    }
    if (only.has("postgres")) {
      log(
        `engine on PostgreSQL: ${events} events, ${clients} clients, then ${latency.rate}/s for ${latency.seconds} s ...`,
      );
      pg = engineSummary(
        await benchEngine({ driver: "postgres", databaseUrl, sink, events, clients, latency, nodeArgs, log }),
      );
    }
    if (only.has("pglite")) {
      log(
        `engine on PGlite: ${events} events, ${clients} clients, then ${latency.rate}/s for ${latency.seconds} s ...`,
      );
      pglite = engineSummary(await benchEngine({ driver: "pglite", sink, events, clients, latency, nodeArgs, log }));
    }
    // Issue 16: an AMQP source to an AMQP destination through the engine vs a plain amqplib bridge.
    if (only.has("brokers")) {
      for (const driver of databaseUrl ? (["postgres", "pglite"] as const) : (["pglite"] as const)) {
        log(`brokers on ${driver}: AMQP source → AMQP destination vs a plain consume → publish-with-confirms loop ...`);
        try {
          brokers.push(await benchBrokers({ driver, databaseUrl, messages: Number(values["broker-messages"]), log }));
        } catch (error) {
          log(`  brokers skipped: ${error instanceof Error ? error.message : String(error)} (is RabbitMQ on 5672?)`);
          break;
        }
      }
    }
    // The event catalog's cost at ingest (issue 15): a 10-property schema enforced vs no schema, same run.
    if (only.has("catalog")) {
      for (const driver of databaseUrl ? (["postgres", "pglite"] as const) : (["pglite"] as const)) {
        log(`catalog on ${driver}: ingest with a 10-property schema enforced vs none, alternating rounds ...`);
        const r = await benchCatalog({ driver, databaseUrl, events: Number(values["catalog-events"]), clients, log });
        catalog.push(r);
      }
    }
    // Issue 13: a 10-field expression mapping's CPU per delivery (V8's default young generation, and a
    // larger one: JSONata's async evaluation allocates a lot), and ingest with vs without a 3-rule filter.
    if (only.has("expressions")) {
      log("expressions: a 10-field JSONata mapping rendered per delivery, CPU per render ...");
      for (const nodeArgs of [[], ["--max-semi-space-size=32"]]) expressions.push(await benchExpressionsIn(nodeArgs));
    }
    if (only.has("filters")) {
      for (const driver of databaseUrl ? (["postgres", "pglite"] as const) : (["pglite"] as const)) {
        log(`filters on ${driver}: ingest with a 3-rule filter, an expression filter and none, alternating rounds ...`);
        filters.push(
          await benchFilters({ driver, databaseUrl, events: Number(values["filter-events"]), clients, log }),
        );
      }
    }
  } finally {
    await sink.close();
  }

  const base = baseline
    ? {
        contender: baseline.contender,
        concurrency: baseline.concurrency,
        jobs: baseline.jobs,
        enqueuePerSecond: round(baseline.enqueuePerSecond, 0),
        perEventDeliveriesPerSecond: round(baseline.perEventDeliveriesPerSecond, 0),
        deliveriesPerSecond: round(baseline.deliveriesPerSecond, 0),
        cpuMsPerJob: baseline.cpuMsPerJob === undefined ? null : round(baseline.cpuMsPerJob, 3),
        duplicates: baseline.duplicates,
        latencyMs: baseline.latencySamples ? { sentToReceived: latencySummary(baseline.latencySamples) } : undefined,
        peakRssMb: baseline.peakRssMb === undefined ? null : round(baseline.peakRssMb, 0),
      }
    : undefined;
  // Two ratios, each against the baseline doing the same thing: events enqueued one by one by the
  // concurrent clients (end to end), and events enqueued in bulk (the delivery side's own rate).
  const ratioE2e = (x: number | undefined) => (x && base ? round(x / base.perEventDeliveriesPerSecond, 2) : null);
  const ratio = (x: number | undefined) => (x && base ? round(x / base.deliveriesPerSecond, 2) : null);

  const rows: string[][] = [];
  const fmt = (n: number | null | undefined) => (n === null || n === undefined ? "—" : String(n));
  if (base)
    rows.push([
      "graphile-worker",
      fmt(base.enqueuePerSecond),
      fmt(base.perEventDeliveriesPerSecond),
      "1.00",
      fmt(base.deliveriesPerSecond),
      "1.00",
      fmt(base.cpuMsPerJob),
      fmt(base.latencyMs?.sentToReceived.p50),
      fmt(base.latencyMs?.sentToReceived.p95),
      fmt(base.latencyMs?.sentToReceived.p99),
      fmt(base.peakRssMb),
    ]);
  for (const r of [pg, pglite]) {
    if (!r) continue;
    rows.push([
      `engine (${r.driver})`,
      fmt(r.ingestPerSecond),
      fmt(r.deliveriesPerSecond),
      fmt(ratioE2e(r.deliveriesPerSecond)),
      fmt(r.bulkDeliveriesPerSecond),
      fmt(ratio(r.bulkDeliveriesPerSecond)),
      fmt(r.bulkCpuMsPerEvent),
      fmt(r.latencyMs.sentToReceived.p50),
      fmt(r.latencyMs.sentToReceived.p95),
      fmt(r.latencyMs.sentToReceived.p99),
      fmt(r.peakRssMb),
    ]);
  }
  const header = [
    "contender",
    "ingest/s",
    "e2e deliv/s",
    "×",
    "bulk deliv/s",
    "×",
    "CPU ms/deliv",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "peak RSS MB",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join("  ");
  log("");
  log(line(header));
  for (const r of rows) log(line(r));
  log(
    `ingest/s and e2e: ${events} events enqueued one by one by ${clients} clients (POST /v1/events | addJob), until all delivered;`,
  );
  log("bulk: the same count enqueued 500 at a time (POST /v1/events/batch | addJobs); × = ratio to graphile-worker;");
  log("CPU ms/deliv: user+system CPU of the engine (or graphile-worker) process per delivery in the bulk run;");
  log(`latency: ${latency.rate} events/s for ${latency.seconds} s, from the POST (or addJob) to arrival at the sink.`);
  for (const e of expressions) {
    log(
      `expressions${e.nodeArgs.length ? ` (${e.nodeArgs.join(" ")})` : ""}: ${round(e.expressionCpuUs.p50, 1)} µs CPU ` +
        `per 10-field render at p50 (p99 ${round(e.expressionCpuUs.p99, 1)}; target <= ${e.targetCpuUsP50}), ` +
        `${round(e.plainCpuUs.p50, 1)} µs for the same fields as JSONPath; one filter test: ` +
        `${round(e.filterRulesUs, 2)} µs (3 rules), ${round(e.filterExpressionUs, 2)} µs (expression)`,
    );
  }
  for (const f of filters) {
    log(
      `filters (${f.driver}): ${round(f.noFilterPerSecond, 0)} events/s without, ${round(f.rulesPerSecond, 0)} with ` +
        `3 rules (ratio ${round(f.rulesRatio, 3)}), ${round(f.expressionPerSecond, 0)} with an expression (ratio ${round(f.expressionRatio, 3)})`,
    );
  }
  for (const b of brokers) {
    log(
      `brokers (${b.driver}): ${round(b.enginePerSecond, 0)} events/s AMQP source → AMQP destination through the engine, ` +
        `${round(b.plainPerSecond, 0)} messages/s for a plain amqplib consume → publish-with-confirms loop ` +
        `(ratio ${round(b.ratio, 2)}; CPU ${b.engineCpuMsPerEvent === null ? "—" : round(b.engineCpuMsPerEvent, 3)} ms/event ` +
        `in the engine, ${round(b.plainCpuMsPerMessage, 3)} ms/message in the plain loop)`,
    );
  }
  for (const c of catalog) {
    const change = (1 - c.ratio) * 100;
    const cpu =
      c.enforceCpuMsPerEvent !== null && c.noSchemaCpuMsPerEvent !== null
        ? `; engine CPU ${round(c.enforceCpuMsPerEvent, 3)} vs ${round(c.noSchemaCpuMsPerEvent, 3)} ms/event`
        : "";
    log(
      `catalog (${c.driver}): ${round(c.enforcePerSecond, 0)} events/s with a 10-property schema enforced, ` +
        `${round(c.noSchemaPerSecond, 0)} without: ${round(Math.abs(change), 1)} % ${change >= 0 ? "fewer" : "more"} ` +
        `(target: at most 10 % fewer)${cpu}`,
    );
  }

  const targets = {
    ratio: {
      target: `>= ${TARGETS.ratio}x`,
      reached: { bulk: ratio(pg?.bulkDeliveriesPerSecond), endToEnd: ratioE2e(pg?.deliveriesPerSecond) },
    },
    p50Ms: { target: `<= ${TARGETS.p50Ms}`, reached: pg?.latencyMs.sentToReceived.p50 ?? null },
    p99Ms: { target: `<= ${TARGETS.p99Ms}`, reached: pg?.latencyMs.sentToReceived.p99 ?? null },
    pgliteDeliveriesPerSecond: {
      target: `>= ${TARGETS.pgliteDeliveriesPerSecond}`,
      reached: pglite?.deliveriesPerSecond ?? null,
    },
    rssMb: {
      target: `<= ${TARGETS.rssMb}`,
      reached: { postgres: pg?.peakRssMb ?? null, pglite: pglite?.peakRssMb ?? null },
    },
  };
  Object.assign(results, {
    at: new Date().toISOString(),
    machine: {
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg().map((l) => round(l, 2)),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
    },
    settings: {
      events,
      clients,
      latency,
      baselineConcurrency: Number(values.concurrency),
      cpuProfile: values["cpu-prof"],
    },
    baseline: base,
    engine: { postgres: pg, pglite },
    ratioToBaseline: {
      bulk: { postgres: ratio(pg?.bulkDeliveriesPerSecond), pglite: ratio(pglite?.bulkDeliveriesPerSecond) },
      endToEnd: { postgres: ratioE2e(pg?.deliveriesPerSecond), pglite: ratioE2e(pglite?.deliveriesPerSecond) },
    },
    targets,
    expressions,
    filters: filters.map((f) => ({
      ...f,
      rulesRatio: round(f.rulesRatio, 3),
      expressionRatio: round(f.expressionRatio, 3),
    })),
    brokers: brokers.map((b) => ({
      ...b,
      plainPerSecond: round(b.plainPerSecond, 0),
      enginePerSecond: round(b.enginePerSecond, 0),
      ratio: round(b.ratio, 3),
    })),
    catalog: catalog.map((c) => ({
      ...c,
      enforcePerSecond: round(c.enforcePerSecond, 0),
      noSchemaPerSecond: round(c.noSchemaPerSecond, 0),
      ratio: round(c.ratio, 3),
      target: ">= 0.9 (at most 10 % fewer events/s)",
    })),
  });
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${file}`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
