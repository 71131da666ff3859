// The event catalog's cost at ingest (issue 15): events/s through POST /v1/events for a name whose
// catalog entry has a 10-property JSON Schema in `enforce` mode, against a name with no entry, in the
// same engine process, in alternating rounds (so drift in the machine's load hits both alike).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDatabase } from "./database.ts";
import { undici } from "./deps.ts";
import { cpuSeconds, type EngineProcess, startEngine } from "./engine-process.ts";
import { nowMs } from "./stats.ts";

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

/** `total` events of `name` posted by `clients` concurrent loops; the seconds it took. */
async function closedLoop(baseUrl: string, token: string, name: string, total: number, clients: number, from: number) {
  const pool = new undici.Pool(baseUrl, { connections: clients, pipelining: 1 });
  let next = 0;
  const started = nowMs();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const n = next++;
        if (n >= total) return;
        const res = await pool.request({
          path: "/v1/events",
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ id: `${name}_${from + n}`, name, payload: catalogPayload(from + n) }),
        });
        const text = await res.body.text();
        if (res.statusCode !== 202)
          throw new Error(`ingest of ${name} answered ${res.statusCode}: ${text.slice(0, 300)}`);
      }
    }),
  );
  const seconds = (nowMs() - started) / 1000;
  await pool.close();
  return seconds;
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
  const token = `ib_bench_${randomBytes(16).toString("hex")}`;
  const dataDir = mkdtempSync(join(tmpdir(), "ib-bench-catalog-"));
  const db = options.driver === "postgres" ? await freshDatabase(options.databaseUrl as string, "ib_bench") : undefined;
  let engine: EngineProcess | undefined;
  try {
    // The API role only: no worker competes for the CPU, and no connector takes these names, so this is
    // the ingest path itself (parse, check, store) and nothing else.
    engine = await startEngine(
      {
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        IB_DATA_DIR: dataDir,
        IB_ADMIN_TOKEN: token,
        IB_MASTER_KEY: randomBytes(32).toString("base64"),
        ...(db ? { DATABASE_URL: db.url } : {}),
      },
      { role: "api" },
    );
    const put = await fetch(`${engine.baseUrl}/admin/integration-builder/event-types`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: CHECKED_EVENT, schema: TEN_PROPERTY_SCHEMA, validation: "enforce" }),
    });
    if (put.status !== 201) throw new Error(`creating the event type answered ${put.status}: ${await put.text()}`);
    // The check must really run: a payload that breaks the schema is refused.
    const refused = await fetch(`${engine.baseUrl}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: CHECKED_EVENT, payload: { ...catalogPayload(0), email: "not an email" } }),
    });
    if (refused.status !== 400) throw new Error(`an invalid payload answered ${refused.status}, not 400`);

    // Warm-up of both paths (JIT, pools, the compiled schema), not measured.
    await closedLoop(engine.baseUrl, token, PLAIN_EVENT, 500, options.clients, 1_000_000);
    await closedLoop(engine.baseUrl, token, CHECKED_EVENT, 500, options.clients, 1_000_000);

    const seconds = { plain: 0, checked: 0 };
    const cpu: { plain: number | null; checked: number | null } = { plain: 0, checked: 0 };
    for (let round = 0; round < rounds; round++) {
      const from = round * perRound;
      // Alternate which goes first, so neither always runs on a fresher (or more loaded) machine.
      const order = round % 2 === 0 ? (["plain", "checked"] as const) : (["checked", "plain"] as const);
      for (const variant of order) {
        const name = variant === "plain" ? PLAIN_EVENT : CHECKED_EVENT;
        const cpuBefore = cpuSeconds(engine.pid);
        seconds[variant] += await closedLoop(engine.baseUrl, token, name, perRound, options.clients, from);
        const cpuAfter = cpuSeconds(engine.pid);
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
    if (engine) options.log(engine.output().slice(-3000));
    throw error;
  } finally {
    await engine?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
