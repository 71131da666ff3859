// The second wave's costs (issues 13, 15, 16), measured apart from issue 18's contenders: a 10-field
// expression mapping per render, filters and the catalog at ingest, an AMQP source to an AMQP destination.
import type { BrokerBenchResult } from "./broker-bench.ts";
import type { CatalogBenchResult } from "./catalog-bench.ts";
import type { ExpressionBenchResult } from "./expression-bench.ts";
import type { FilterBenchResult } from "./filter-bench.ts";
import { round } from "./stats.ts";

export interface SecondWave {
  expressions: (ExpressionBenchResult & { nodeArgs: string[] })[];
  filters: FilterBenchResult[];
  brokers: BrokerBenchResult[];
  catalog: CatalogBenchResult[];
}

export function printSecondWave({ expressions, filters, brokers, catalog }: SecondWave, log: (line: string) => void) {
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
}

/** The same, rounded for the JSON result. */
export function summarizeSecondWave({ expressions, filters, brokers, catalog }: SecondWave) {
  return {
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
  };
}
