// The cost of connector filters at ingest (issue 13): events/s through POST /v1/events for a name whose
// connector has a 3-rule filter (that takes every event, so both variants write the same rows), against a
// name whose connector has none, and an `{expression}` filter for comparison; in one engine process, in
// alternating rounds (so drift in the machine's load hits all alike).
import { type IngestEngine, startIngestEngine } from "./ingest-engine.ts";
import { closedLoop } from "./load.ts";

/** Three rules over the bench event (`benchEvent` in load.ts), all true for every event it makes. */
export const THREE_RULES = {
  all: [
    { path: "$.payload.amount.currency", op: "eq", value: "EUR" },
    { path: "$.payload.amount.value", op: "gte", value: 1000 },
    { path: "$.payload.customer.email", op: "endsWith", value: "@example.com" },
  ],
};
export const EXPRESSION_FILTER = {
  expression: "{% payload.amount.currency = 'EUR' and payload.amount.value >= 1000 %}",
};

const VARIANTS = {
  none: { name: "bench.filter.none", filter: null },
  rules: { name: "bench.filter.rules", filter: THREE_RULES },
  expression: { name: "bench.filter.expression", filter: EXPRESSION_FILTER },
} as const;
type Variant = keyof typeof VARIANTS;

export interface FilterBenchResult {
  driver: "postgres" | "pglite";
  eventsPerVariant: number;
  clients: number;
  noFilterPerSecond: number;
  rulesPerSecond: number;
  expressionPerSecond: number;
  /** rules / none: 1.0 means the filter costs nothing measurable. */
  rulesRatio: number;
  expressionRatio: number;
}

export async function benchFilters(options: {
  driver: "postgres" | "pglite";
  databaseUrl?: string;
  events: number;
  clients: number;
  rounds?: number;
  log: (line: string) => void;
}): Promise<FilterBenchResult> {
  const rounds = options.rounds ?? 3;
  const perRound = Math.max(100, Math.floor(options.events / rounds));
  let ie: IngestEngine | undefined;
  try {
    // The API role only: deliveries are written (one per event, every variant) but nobody sends them, so
    // this is the ingest path itself: parse, select connectors, filter, store.
    ie = await startIngestEngine({ driver: options.driver, databaseUrl: options.databaseUrl, role: "api" });
    const target = ie.target;
    for (const { name, filter } of Object.values(VARIANTS)) {
      await ie.admin(
        "PUT",
        "/connectors",
        {
          name: `bench ${name}`,
          sourceEvent: name,
          destination: { url: "https://bench.example/hook", method: "POST" },
          filter,
        },
        [201],
      );
    }
    // The filters really run: an event they reject gets no delivery.
    for (const variant of ["rules", "expression"] as const) {
      const rejected = await ie.request("POST", "/v1/events", {
        name: VARIANTS[variant].name,
        payload: { amount: { value: 1, currency: "USD" } },
      });
      const answer = rejected.json as { deliveries?: unknown[] };
      if (rejected.status !== 202 || answer.deliveries?.length !== 0) {
        throw new Error(`the ${variant} filter took an event it should reject: ${JSON.stringify(answer)}`);
      }
    }

    const run = (variant: Variant, total: number, prefix: string) =>
      closedLoop(target, { total, clients: options.clients, prefix, name: VARIANTS[variant].name });
    // Warm-up of every path (JIT, pools, the compiled filters), not measured.
    for (const variant of Object.keys(VARIANTS) as Variant[]) await run(variant, 500, `warm_${variant}`);

    const seconds: Record<Variant, number> = { none: 0, rules: 0, expression: 0 };
    const orders: Variant[][] = [
      ["none", "rules", "expression"],
      ["rules", "expression", "none"],
      ["expression", "none", "rules"],
    ];
    for (let round = 0; round < rounds; round++) {
      for (const variant of orders[round % orders.length] as Variant[]) {
        const { started, finished } = await run(variant, perRound, `r${round}_${variant}`);
        seconds[variant] += (finished - started) / 1000;
      }
    }
    const total = perRound * rounds;
    const perSecond = (v: Variant) => total / seconds[v];
    const result: FilterBenchResult = {
      driver: options.driver,
      eventsPerVariant: total,
      clients: options.clients,
      noFilterPerSecond: perSecond("none"),
      rulesPerSecond: perSecond("rules"),
      expressionPerSecond: perSecond("expression"),
      rulesRatio: perSecond("rules") / perSecond("none"),
      expressionRatio: perSecond("expression") / perSecond("none"),
    };
    options.log(
      `  ${options.driver}: ${Math.round(result.noFilterPerSecond)} events/s without a filter, ` +
        `${Math.round(result.rulesPerSecond)} with 3 rules (×${result.rulesRatio.toFixed(3)}), ` +
        `${Math.round(result.expressionPerSecond)} with an expression filter (×${result.expressionRatio.toFixed(3)})`,
    );
    return result;
  } catch (error) {
    if (ie) options.log(ie.engine.output().slice(-3000));
    throw error;
  } finally {
    await ie?.stop();
  }
}
