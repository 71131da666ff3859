// The cost of a 10-field expression mapping per delivery (issue 13): the CPU the worker spends rendering
// one request whose mapping is ten `{% … %}` JSONata expressions, compiled once per connector version (as
// the worker does, through CompiledConnectors), against the same ten fields as JSONPath / templates.
// No database or network, only the render path, in a fresh Node process per run (`benchExpressionsIn`), so
// the heap the other benchmarks left behind does not count, and V8 flags can be compared.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CompiledConnectors } from "@ib/core/expressions";
import { type EventEnvelope, renderRequest } from "@ib/core/render-request";
import { ROOT } from "./engine-process.ts";
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

export interface ExpressionBenchResult {
  fields: number;
  samples: number;
  /** CPU (user + system) per render, microseconds: median and 99th percentile over batches. */
  expressionCpuUs: { p50: number; p99: number };
  plainCpuUs: { p50: number; p99: number };
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

async function cpuPerRender(render: (n: number) => Promise<unknown>, batches: number): Promise<number[]> {
  const samples: number[] = [];
  let n = 0;
  for (let b = 0; b < batches; b++) {
    const before = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) await render(n++);
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / BATCH);
  }
  return samples;
}

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
  const destination = { url: "https://erp.example.com/orders", method: "POST" as const };
  const expressionConnector = { id: "con_bench_expr", version: 1, destination, mapping: EXPRESSION_MAPPING };
  const plainConnector = { id: "con_bench_plain", version: 1, destination, mapping: PLAIN_MAPPING };
  const render = (connector: typeof expressionConnector | typeof plainConnector) => (n: number) =>
    renderRequest({
      destination,
      mapping: connector.mapping,
      event: envelope(n),
      secrets: {},
      // What the worker does: the connector's plan, compiled once per version and reused.
      plan: compiled.plan(connector),
    });
  const expression = render(expressionConnector);
  const plain = render(plainConnector);

  // The mapping really computes: check one rendering before measuring.
  const sample = JSON.parse((await expression(7)).request.body ?? "{}");
  if (sample.currency !== "EUR" || sample.lines?.[0]?.quantity !== 2 || sample.day !== "2026-01-01") {
    throw new Error(`the expression mapping rendered ${JSON.stringify(sample)}`);
  }

  for (let i = 0; i < 3000; i++) {
    await expression(i);
    await plain(i);
  }
  const expressionCpu = await cpuPerRender(expression, batches);
  const plainCpu = await cpuPerRender(plain, batches);
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
    expressionCpuUs: { p50: percentile(expressionCpu, 50), p99: percentile(expressionCpu, 99) },
    plainCpuUs: { p50: percentile(plainCpu, 50), p99: percentile(plainCpu, 99) },
    expressionWallUs: { p50: percentile(wall, 50), p99: percentile(wall, 99) },
    targetCpuUsP50: 100,
    filterRulesUs,
    filterExpressionUs,
  };
  options.log(
    `  10-field expression mapping: ${result.expressionCpuUs.p50.toFixed(1)} µs CPU per render at p50 ` +
      `(p99 ${result.expressionCpuUs.p99.toFixed(1)}; wall p50 ${result.expressionWallUs.p50.toFixed(1)} µs); ` +
      `the same fields as JSONPath/templates: ${result.plainCpuUs.p50.toFixed(1)} µs`,
  );
  return result;
}

/** {@link benchExpressions} in its own `node [nodeArgs] --import tsx` process. */
export async function benchExpressionsIn(nodeArgs: string[]): Promise<ExpressionBenchResult & { nodeArgs: string[] }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeArgs, "--import", "tsx", join("bench", "lib", "expression-bench-main.ts")],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  return { ...(JSON.parse(stdout) as ExpressionBenchResult), nodeArgs };
}
