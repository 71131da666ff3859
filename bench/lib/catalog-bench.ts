// The event catalog's cost at ingest (issue 15): events/s through POST /v1/events for a name whose
// catalog entry has a 10-property JSON Schema in `enforce` mode, against a name with no entry, in the
// same engine process, in alternating rounds (so drift in the machine's load hits both alike).
import { cpuSeconds } from "./engine-process.ts";
import { type IngestEngine, startIngestEngine } from "./ingest-engine.ts";
import { closedLoop, type IngestTarget } from "./load.ts";

export const CHECKED_EVENT = "bench.catalog.checked";
export const PLAIN_EVENT = "bench.catalog.plain";

/** Ten properties of the kinds real events carry: strings with formats, numbers with bounds, an enum, an array. */
export const TEN_PROPERTY_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["orderId", "customerId", "email", "amount", "currency", "status", "createdAt", "items", "country"],
  properties: {
    orderId: { type: "string", minLength: 1, maxLength: 64 },
    customerId: { type: "string", pattern: "^cus_[0-9]+$" },
    email: { type: "string", format: "email" },
    amount: { type: "number", minimum: 0 },
    currency: { type: "string", enum: ["EUR", "USD", "BRL"] },
    status: { type: "string", enum: ["created", "paid", "shipped"] },
    createdAt: { type: "string", format: "date-time" },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["sku", "qty"],
        properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1 } },
      },
    },
    country: { type: "string", minLength: 2, maxLength: 2 },
    note: { type: ["string", "null"] },
  },
};

export function catalogPayload(n: number) {
  return {
    orderId: `ord_${n}`,
    customerId: `cus_${n % 977}`,
    email: `customer${n % 977}@example.com`,
    amount: 19.99 + (n % 100),
    currency: "EUR",
    status: "created",
    createdAt: new Date(1_767_225_600_000 + n * 1000).toISOString(),
    items: [{ sku: `sku_${n % 31}`, qty: 1 + (n % 3) }],
    country: "BR",
    note: n % 2 ? null : "leave at the door",
  };
}

export interface CatalogBenchResult {
  driver: "postgres" | "pglite";
  eventsPerVariant: number;
  clients: number;
  enforcePerSecond: number;
  noSchemaPerSecond: number;
  /** enforce / none: 0.9 or more meets the target (at most 10 % fewer events/s). */
  ratio: number;
  /** The engine process's CPU per event (user + system), which other load on the machine barely moves. */
  enforceCpuMsPerEvent: number | null;
  noSchemaCpuMsPerEvent: number | null;
}

/** `total` events of `name` from `clients` concurrent loops (ids from `from` on); the seconds it took. */
async function ingest(target: IngestTarget, name: string, total: number, clients: number, from: number) {
  const event = (id: string, n: number) => ({ id, name, payload: catalogPayload(from + n) });
  const { started, finished } = await closedLoop(target, { total, clients, prefix: `${name}_${from}`, event });
  return (finished - started) / 1000;
}

export async function benchCatalog(options: {
  driver: "postgres" | "pglite";
  databaseUrl?: string;
  events: number;
  clients: number;
  rounds?: number;
  log: (line: string) => void;
}): Promise<CatalogBenchResult> {
  const rounds = options.rounds ?? 6;
  const perRound = Math.max(100, Math.floor(options.events / rounds));
  let ie: IngestEngine | undefined;
  try {
    // The API role only: no worker competes for the CPU, and no connector takes these names, so this is
    // the ingest path itself (parse, check, store) and nothing else.
    ie = await startIngestEngine({ driver: options.driver, databaseUrl: options.databaseUrl, role: "api" });
    await ie.admin(
      "PUT",
      "/event-types",
      { name: CHECKED_EVENT, schema: TEN_PROPERTY_SCHEMA, validation: "enforce" },
      [201],
    );
    // The check must really run: a payload that breaks the schema is refused.
    const refused = await ie.request("POST", "/v1/events", {
      name: CHECKED_EVENT,
      payload: { ...catalogPayload(0), email: "not an email" },
    });
    if (refused.status !== 400) throw new Error(`an invalid payload answered ${refused.status}, not 400`);
    const target = ie.target;
    const pid = ie.engine.pid;

    // Warm-up of both paths (JIT, pools, the compiled schema), not measured.
    await ingest(target, PLAIN_EVENT, 500, options.clients, 1_000_000);
    await ingest(target, CHECKED_EVENT, 500, options.clients, 1_000_000);

    const seconds = { plain: 0, checked: 0 };
    const cpu: { plain: number | null; checked: number | null } = { plain: 0, checked: 0 };
    for (let round = 0; round < rounds; round++) {
      const from = round * perRound;
      // Alternate which goes first, so neither always runs on a fresher (or more loaded) machine.
      const order = round % 2 === 0 ? (["plain", "checked"] as const) : (["checked", "plain"] as const);
      for (const variant of order) {
        const name = variant === "plain" ? PLAIN_EVENT : CHECKED_EVENT;
        const cpuBefore = cpuSeconds(pid);
        seconds[variant] += await ingest(target, name, perRound, options.clients, from);
        const cpuAfter = cpuSeconds(pid);
        const used = cpu[variant];
        cpu[variant] =
          used !== null && cpuBefore !== undefined && cpuAfter !== undefined ? used + cpuAfter - cpuBefore : null;
      }
    }
    const total = perRound * rounds;
    const enforcePerSecond = total / seconds.checked;
    const noSchemaPerSecond = total / seconds.plain;
    options.log(
      `  ${options.driver}: ${Math.round(enforcePerSecond)} events/s with the schema enforced, ${Math.round(noSchemaPerSecond)} without`,
    );
    return {
      driver: options.driver,
      eventsPerVariant: total,
      clients: options.clients,
      enforcePerSecond,
      noSchemaPerSecond,
      ratio: enforcePerSecond / noSchemaPerSecond,
      enforceCpuMsPerEvent: cpu.checked === null ? null : (cpu.checked * 1000) / total,
      noSchemaCpuMsPerEvent: cpu.plain === null ? null : (cpu.plain * 1000) / total,
    };
  } catch (error) {
    if (ie) options.log(ie.engine.output().slice(-3000));
    throw error;
  } finally {
    await ie?.stop();
  }
}
