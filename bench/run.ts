// `npm run bench`: the engine on PostgreSQL and on PGlite (plain, and with a filter, an expression mapping
// and an enforced schema) against two job-queue baselines doing the same deliveries (graphile-worker +
// fetch, BullMQ + undici), all to one local sink; every contender must deliver each event exactly once.
// Prints the figures and issue 18's targets (met / missed), writes bench/results/bench-<time>.json, and
// exits non-zero when any contender failed its correctness check.
// Options: --events N (20000), --clients N (16), --rate N (200), --seconds N (20), --concurrency N (32,
//          both baselines' workers), --only baseline,bullmq,floor,postgres,pglite,features,expressions,
//          filters,catalog,brokers, --cpu-prof
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchBullmq, redisInfo } from "./baseline/bullmq.ts";
import { benchFloor } from "./baseline/floor.ts";
import { benchGraphile } from "./baseline/graphile.ts";
import { type BrokerBenchResult, benchBrokers } from "./lib/broker-bench.ts";
import { benchCatalog, type CatalogBenchResult } from "./lib/catalog-bench.ts";
import { benchEngine } from "./lib/engine-bench.ts";
import { ROOT } from "./lib/engine-process.ts";
import { benchExpressionsIn, type ExpressionBenchResult } from "./lib/expression-bench.ts";
import { benchFilters, type FilterBenchResult } from "./lib/filter-bench.ts";
import { type ContenderResult, loadAverage } from "./lib/result.ts";
import { printSecondWave, summarizeSecondWave } from "./lib/second-wave.ts";
import { startSink } from "./lib/sink.ts";
import { round } from "./lib/stats.ts";
import { type Contenders, evaluateTargets, figuresTable, floorLines, ratios, targetsTable } from "./lib/targets.ts";

const DEFAULT_ONLY = "baseline,bullmq,floor,postgres,pglite,features,expressions,filters,catalog,brokers";
const { values } = parseArgs({
  options: {
    events: { type: "string", default: "20000" },
    clients: { type: "string", default: "16" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    only: { type: "string", default: DEFAULT_ONLY },
    "broker-messages": { type: "string", default: "5000" },
    "catalog-events": { type: "string", default: "6000" },
    concurrency: { type: "string", default: "32" },
    "filter-events": { type: "string", default: "6000" },
    "cpu-prof": { type: "boolean", default: false },
  },
});

const events = Number(values.events);
const clients = Number(values.clients);
const concurrency = Number(values.concurrency);
const latency = { rate: Number(values.rate), seconds: Number(values.seconds) };
const only = new Set(values.only.split(","));
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The commit the bench ran on, and how many files differed from it (the engine runs what is on disk). */
function sourceState() {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  try {
    return {
      commit: git("rev-parse", "HEAD"),
      changedFiles: git("status", "--porcelain").split("\n").filter(Boolean).length,
    };
  } catch {
    return null;
  }
}

async function main() {
  if (!databaseUrl && ["postgres", "baseline", "floor"].some((k) => only.has(k))) {
    log(
      "BENCH_DATABASE_URL / TEST_DATABASE_URL is not set: PostgreSQL, graphile-worker and the durable floor are skipped.",
    );
    for (const skipped of ["postgres", "baseline", "floor"]) only.delete(skipped);
  }
  const redis = only.has("bullmq") ? await redisInfo() : null;
  if (only.has("bullmq") && !redis) {
    log("Redis does not answer (BENCH_REDIS_URL, default redis://127.0.0.1:6379): the BullMQ baseline is skipped.");
    only.delete("bullmq");
  }
  const loadBefore = loadAverage();
  if ((loadBefore[0] ?? 0) > cpus().length * 0.5)
    log(
      `note: the machine is busy (load average ${loadBefore.join(" ")} on ${cpus().length} CPUs); numbers will be noisy`,
    );
  const sink = await startSink();
  const profDir = join(ROOT, "bench", "results", "profiles");
  const nodeArgs = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
  const contenders: Contenders = {};
  const record = (r: ContenderResult) => {
    contenders[r.key] = r;
    const verdict = r.correctness.valid ? "every event delivered exactly once" : r.correctness.problems.join("; ");
    log(`  ${r.contender}: ${r.correctness.valid ? "ok" : "INVALID"} (${verdict})`);
  };
  const expressions: (ExpressionBenchResult & { nodeArgs: string[] })[] = [];
  const filters: FilterBenchResult[] = [];
  const catalog: CatalogBenchResult[] = [];
  const brokers: BrokerBenchResult[] = [];
  const drivers = (databaseUrl ? ["postgres", "pglite"] : ["pglite"]) as Array<"postgres" | "pglite">;
  try {
    const baseline = { sink, jobs: events, clients, concurrency, latency, log };
    if (only.has("baseline")) {
      log(
        `graphile-worker: ${events} jobs, concurrency ${concurrency}, then ${latency.rate}/s for ${latency.seconds} s ...`,
      );
      record(await benchGraphile({ ...baseline, databaseUrl: databaseUrl as string, tag: "gw_" }));
    }
    if (only.has("bullmq")) {
      log(`BullMQ: ${events} jobs, concurrency ${concurrency}, then ${latency.rate}/s for ${latency.seconds} s ...`);
      record(await benchBullmq({ ...baseline, tag: "bmq_" }));
    }
    if (only.has("floor")) {
      log(`durable floor: ${events} events, ${clients} clients, then ${latency.rate}/s for ${latency.seconds} s ...`);
      record(await benchFloor({ ...baseline, events, databaseUrl: databaseUrl as string, tag: "floor_" }));
    }
    // Each database's features run right after its plain run, so the machine's load drifts least between them.
    for (const driver of drivers) {
      const engine = { driver, databaseUrl, sink, events, clients, nodeArgs, log };
      if (only.has(driver)) {
        log(
          `engine on ${driver}: ${events} events, ${clients} clients, then ${latency.rate}/s for ${latency.seconds} s ...`,
        );
        record(await benchEngine({ ...engine, bulk: true, latency, tag: `${driver}_` }));
      }
      // PGlite's features run only when the run includes PGlite.
      if (only.has("features") && (driver === "postgres" || only.has("pglite"))) {
        log(`engine on ${driver} with a 3-rule filter, a 10-field expression mapping and an enforced schema ...`);
        record(await benchEngine({ ...engine, bulk: false, features: true, tag: `f${driver}_` }));
      }
    }
    if (only.has("brokers")) {
      for (const driver of drivers) {
        log(`brokers on ${driver}: AMQP source → AMQP destination vs a plain consume → publish-with-confirms loop ...`);
        try {
          brokers.push(await benchBrokers({ driver, databaseUrl, messages: Number(values["broker-messages"]), log }));
        } catch (error) {
          log(`  brokers skipped: ${error instanceof Error ? error.message : String(error)} (is RabbitMQ on 5672?)`);
          break;
        }
      }
    }
    if (only.has("catalog")) {
      for (const driver of drivers) {
        log(`catalog on ${driver}: ingest with a 10-property schema enforced vs none, alternating rounds ...`);
        catalog.push(
          await benchCatalog({ driver, databaseUrl, events: Number(values["catalog-events"]), clients, log }),
        );
      }
    }
    if (only.has("expressions")) {
      log("expressions: a 10-field JSONata mapping rendered per delivery, CPU per render ...");
      for (const args of [[], ["--max-semi-space-size=32"]]) expressions.push(await benchExpressionsIn(args));
    }
    if (only.has("filters")) {
      for (const driver of drivers) {
        log(`filters on ${driver}: ingest with a 3-rule filter, an expression filter and none, alternating rounds ...`);
        filters.push(
          await benchFilters({ driver, databaseUrl, events: Number(values["filter-events"]), clients, log }),
        );
      }
    }
  } finally {
    await sink.close();
  }
  const loadAfter = loadAverage();

  const targets = evaluateTargets(contenders, latency.rate);
  const ranContenders = Object.keys(contenders).length > 0;
  log("");
  if (ranContenders) {
    for (const line of figuresTable(contenders)) log(line);
    log(`one by one: ${events} events from ${clients} concurrent clients (POST /v1/events | addJob | queue.add),`);
    log("until all delivered; bulk: the same count 500 at a time (POST /v1/events/batch | addJobs | addBulk);");
    log("CPU ms: the contender's process per delivery; latency: an open loop of");
    log(
      `${latency.rate} events/s for ${latency.seconds} s, from the send (and the engine's 202) to arrival at the sink.`,
    );
  }
  printSecondWave({ expressions, filters, brokers, catalog }, log);
  if (ranContenders) {
    log("");
    for (const line of targetsTable(targets)) log(line);
    for (const line of floorLines(contenders)) log(line);
    const cpu = ratios(contenders).featuresToPlain;
    const times = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${n}×`);
    log(
      `with features ÷ plain, engine CPU per delivered event: ${times(cpu.postgres?.cpu)} (PostgreSQL), ` +
        `${times(cpu.pglite?.cpu)} (PGlite); steadier than deliveries/s on a loaded machine`,
    );
  }
  // Another engineer's edit between two engine runs rebuilds the prebuilt engine: their ratio then
  // compares two versions of the code.
  const builds = new Set(Object.values(contenders).flatMap((c) => (c.engineCommand ? [c.engineCommand] : [])));
  if (builds.size > 1) log(`note: the engine runs used ${builds.size} different builds: ${[...builds].join(" | ")}`);
  log(`load average: ${loadBefore.join(" ")} before, ${loadAfter.join(" ")} after (${cpus().length} CPUs)`);

  const invalid = Object.values(contenders).filter((c) => !c.correctness.valid);
  const results = {
    at: new Date().toISOString(),
    valid: invalid.length === 0,
    machine: {
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      redis,
    },
    source: sourceState(),
    settings: { events, clients, latency, concurrency, only: [...only], cpuProfile: values["cpu-prof"] },
    contenders,
    ratios: ratios(contenders),
    targets,
    ...summarizeSecondWave({ expressions, filters, brokers, catalog }),
  };
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${file}`);
  if (invalid.length > 0) {
    process.stderr.write("\nCORRECTNESS FAILED — these contenders' figures are invalid:\n");
    for (const c of invalid) process.stderr.write(`  ${c.contender}: ${c.correctness.problems.join("; ")}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
