// The cost of a 10-field expression mapping per delivery (issue 13): the CPU the worker spends rendering
// one request whose mapping is ten `{% … %}` JSONata expressions, compiled once per connector version (as
// the worker does, through CompiledConnectors), against the same ten fields as JSONPath / templates.
// Issue 18: each expression mapping is rendered both ways in the same run — through the synchronous fast
// path (the default) and through JSONata's evaluator alone (`fastPath: false`) — on the same events, the
// batches of all variants interleaved so that a change of the machine's load falls on each of them alike.
// No database or network, only the render path, in a fresh Node process per run (`benchExpressionsIn`), so
// the heap the other benchmarks left behind does not count, and V8 flags can be compared.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CompiledConnectors, CompiledExpression } from "@ib/core/expressions";
import { type EventEnvelope, renderRequest } from "@ib/core/render-request";
import { ROOT } from "./engine-process.ts";
import { FEATURES_MAPPING } from "./features-bench.ts";
import { EXPRESSION_FILTER, THREE_RULES } from "./filter-bench.ts";
import { benchEvent } from "./load.ts";
import { percentile } from "./stats.ts";

/** Ten fields of the kinds admins write: arithmetic, text, dates, defaults, reshaping, a lookup, a condition. */
export const EXPRESSION_MAPPING = {
  orderId: "{% payload.orderId %}",
  amount: "{% payload.amount.value / 100 %}",
  currency: "{% $uppercase(payload.amount.currency) %}",
  email: "{% $lowercase(payload.customer.email) %}",
  customer: "{% 'customer ' & payload.customer.id %}",
  day: "{% $formatDate(time, '[Y0001]-[M01]-[D01]') %}",
  note: "{% $default(payload.note, 'none') %}",
  lines: "{% [payload.items.{ 'sku': sku, 'quantity': qty }] %}",
  tier: "{% $lookup({'EUR': 'eu', 'USD': 'us'}, payload.amount.currency) %}",
  big: "{% payload.amount.value > 2000 ? 'big' : 'small' %}",
};

/** The same ten fields without expressions (the copy-only mapping language). */
export const PLAIN_MAPPING = {
  orderId: "$.payload.orderId",
  amount: "$.payload.amount.value",
  currency: "$.payload.amount.currency",
  email: "$.payload.customer.email",
  customer: "customer <<event.payload.customer.id>>",
  day: "$.time",
  note: "$.payload.note",
  lines: "$.payload.items",
  tier: "$.payload.amount.currency",
  big: "$.payload.amount.value",
};

interface Percentiles {
  p50: number;
  p99: number;
}

export interface ExpressionBenchResult {
  fields: number;
  samples: number;
  /** CPU (user + system) per render, microseconds: median and 99th percentile over batches (fast path on). */
  expressionCpuUs: Percentiles;
  plainCpuUs: Percentiles;
  /** The same mapping evaluated by JSONata's evaluator alone (no fast path). */
  jsonataCpuUs: Percentiles;
  /** The features contender's mapping (FEATURES_MAPPING), with the fast path and with JSONata alone. */
  featuresCpuUs: Percentiles;
  featuresJsonataCpuUs: Percentiles;
  /** Expressions of both mappings that the fast path takes, of all. */
  fastPathExpressions: { taken: number; of: number };
  /** Wall-clock of one render (single-threaded, so close to its CPU), microseconds. */
  expressionWallUs: { p50: number; p99: number };
  targetCpuUsP50: number;
  /** One filter test at ingest, microseconds (mean over many): the 3-rule filter and the expression filter. */
  filterRulesUs: number;
  filterExpressionUs: number;
}

const BATCH = 50;

function envelope(n: number): EventEnvelope {
  const e = benchEvent(`evt_${n}`, n);
  return {
    id: e.id,
    name: e.name,
    source: e.source,
    time: new Date(1_767_225_600_000 + n).toISOString(),
    payload: e.payload,
  };
}

type Render = (n: number) => Promise<unknown>;

/** CPU per render of each variant, in batches taken in turn (so each sees the same machine). */
async function cpuPerRender(renders: Render[], batches: number): Promise<number[][]> {
  const samples = renders.map(() => [] as number[]);
  let n = 0;
  for (let b = 0; b < batches; b++) {
    for (const [i, render] of renders.entries()) {
      const before = process.cpuUsage();
      for (let j = 0; j < BATCH; j++) await render(n + j);
      const used = process.cpuUsage(before);
      samples[i]?.push((used.user + used.system) / BATCH);
    }
    n += BATCH;
  }
  return samples;
}

const percentiles = (samples: number[] | undefined): Percentiles => ({
  p50: percentile(samples ?? [], 50),
  p99: percentile(samples ?? [], 99),
});

/** Mean microseconds of one filter test (the filter must take the event: both variants do the same work). */
async function perTest(filter: { test(e: EventEnvelope): unknown }): Promise<number> {
  const events = Array.from({ length: 100 }, (_, n) => envelope(n));
  for (const e of events)
    if (((await filter.test(e)) as { matched: boolean }).matched !== true) throw new Error("filter rejected");
  for (let i = 0; i < 20_000; i++) await filter.test(events[i % 100] as EventEnvelope);
  const n = 100_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) await filter.test(events[i % 100] as EventEnvelope);
  return ((performance.now() - started) * 1000) / n;
}

export async function benchExpressions(options: { batches?: number; log: (line: string) => void }) {
  const batches = options.batches ?? 400;
  const compiled = new CompiledConnectors();
  const jsonataOnly = new CompiledConnectors({ fastPath: false });
  const destination = { url: "https://erp.example.com/orders", method: "POST" as const };
  const connector = (id: string, mapping: Record<string, string>) => ({ id, version: 1, destination, mapping });
  const expressionConnector = connector("con_bench_expr", EXPRESSION_MAPPING);
  const plainConnector = connector("con_bench_plain", PLAIN_MAPPING);
  const featuresConnector = connector("con_bench_features", FEATURES_MAPPING);
  const render =
    (c: ReturnType<typeof connector>, cache = compiled): Render =>
    (n: number) =>
      renderRequest({
        destination,
        mapping: c.mapping,
        event: envelope(n),
        secrets: {},
        // What the worker does: the connector's plan, compiled once per version and reused.
        plan: cache.plan(c),
      });
  const expression = render(expressionConnector);
  const jsonata = render(expressionConnector, jsonataOnly);
  const plain = render(plainConnector);
  const features = render(featuresConnector);
  const featuresJsonata = render(featuresConnector, jsonataOnly);

  // The mappings really compute, the fast path as JSONata does: check renderings before measuring.
  const body = async (r: Render, n: number) => (await r(n)) as { request: { body: string | null } };
  const sample = JSON.parse((await body(expression, 7)).request.body ?? "{}");
  if (sample.currency !== "EUR" || sample.lines?.[0]?.quantity !== 2 || sample.day !== "2026-01-01") {
    throw new Error(`the expression mapping rendered ${JSON.stringify(sample)}`);
  }
  for (let n = 0; n < 200; n++) {
    for (const [fast, slow] of [
      [expression, jsonata],
      [features, featuresJsonata],
    ] as const) {
      const [a, b] = [(await body(fast, n)).request.body, (await body(slow, n)).request.body];
      if (a !== b) throw new Error(`the fast path rendered ${a} where JSONata rendered ${b}`);
    }
  }
  const sources = [...Object.values(EXPRESSION_MAPPING), ...Object.values(FEATURES_MAPPING)];
  const taken = sources.filter((source) => new CompiledExpression(source).usesFastPath).length;

  const variants = [expression, plain, jsonata, features, featuresJsonata];
  for (let i = 0; i < 3000; i++) for (const variant of variants) await variant(i);
  const [expressionCpu, plainCpu, jsonataCpu, featuresCpu, featuresJsonataCpu] = await cpuPerRender(variants, batches);
  const wall: number[] = [];
  for (let i = 0; i < batches * 5; i++) {
    const started = performance.now();
    await expression(i);
    wall.push((performance.now() - started) * 1000);
  }
  const filterRulesUs = await perTest(compiled.filter({ id: "con_f1", version: 1, filter: THREE_RULES }));
  const filterExpressionUs = await perTest(compiled.filter({ id: "con_f2", version: 1, filter: EXPRESSION_FILTER }));
  const result: ExpressionBenchResult = {
    fields: Object.keys(EXPRESSION_MAPPING).length,
    samples: batches * BATCH,
    expressionCpuUs: percentiles(expressionCpu),
    plainCpuUs: percentiles(plainCpu),
    jsonataCpuUs: percentiles(jsonataCpu),
    featuresCpuUs: percentiles(featuresCpu),
    featuresJsonataCpuUs: percentiles(featuresJsonataCpu),
    fastPathExpressions: { taken, of: sources.length },
    expressionWallUs: percentiles(wall),
    targetCpuUsP50: 100,
    filterRulesUs,
    filterExpressionUs,
  };
  options.log(describeExpressions(result));
  return result;
}

/** One line: each mapping's CPU per render at p50, fast path vs JSONata alone vs JSONPath. */
export function describeExpressions(r: ExpressionBenchResult): string {
  const us = (p: Percentiles) => `${p.p50.toFixed(1)} µs`;
  return (
    `  10-field expression mapping, CPU per render at p50: ${us(r.expressionCpuUs)} with the fast path ` +
    `(p99 ${r.expressionCpuUs.p99.toFixed(1)}), ${us(r.jsonataCpuUs)} with JSONata alone ` +
    `(${(r.jsonataCpuUs.p50 / r.expressionCpuUs.p50).toFixed(1)}×); the same fields as JSONPath/templates: ` +
    `${us(r.plainCpuUs)}; the features mapping: ${us(r.featuresCpuUs)} vs ${us(r.featuresJsonataCpuUs)} ` +
    `(${(r.featuresJsonataCpuUs.p50 / r.featuresCpuUs.p50).toFixed(1)}×); fast path taken by ` +
    `${r.fastPathExpressions.taken} of ${r.fastPathExpressions.of} expressions`
  );
}

/** {@link benchExpressions} in its own `node [nodeArgs] --import tsx` process. */
export async function benchExpressionsIn(nodeArgs: string[]): Promise<ExpressionBenchResult & { nodeArgs: string[] }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeArgs, "--import", "tsx", join("bench", "lib", "expression-bench-main.ts")],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout) as ExpressionBenchResult;
  process.stdout.write(`${describeExpressions(result)}${nodeArgs.length ? ` (${nodeArgs.join(" ")})` : ""}\n`);
  return { ...result, nodeArgs };
}
