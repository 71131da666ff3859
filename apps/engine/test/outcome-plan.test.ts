import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completionStatement, writeCompletions } from "../src/worker/complete.ts";
import type { CachedConnector } from "../src/worker/connector-cache.ts";
import { failedAttempt } from "../src/worker/execute.ts";
import { claimedDelivery, createConnector, deliveryRow, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const ROWS = 5000;
const WORKER = "plan-test-worker";

// Issue 18: the planner takes any JSON row set for 100 rows; an outcome write of a few rows was then planned
// as a hash join over a sequential scan of `deliveries` (its cost growing with the table). Told the true
// count, it looks each delivery up by primary key — on a table that was never analysed, too.
describe.each(testDrivers())("the outcome write's plan on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  it("looks a few deliveries up by primary key in a table of thousands, and writes them", async () => {
    const name = uniqueEventName("plan");
    const connector = await createConnector(engine, { url: "http://127.0.0.1:9/", sourceEvent: name });
    await execute(
      engine.ctx.db,
      sql`insert into events (id, name, payload)
          select 'evt_plan_' || g, ${name}, '{}'::json from generate_series(1, ${ROWS}::int) g`,
    );
    await execute(
      engine.ctx.db,
      sql`insert into deliveries (id, connector_id, event_id, status, locked_by, locked_until)
          select 'dlv_plan_' || g, ${connector.id}, 'evt_plan_' || g, 'PROCESSING', ${WORKER},
            now() + interval '1 minute'
          from generate_series(1, ${ROWS}::int) g`,
    );
    const cached = { connector, secrets: {}, plan: undefined } as unknown as CachedConnector;
    const completions = Array.from({ length: 8 }, (_, i) =>
      failedAttempt({
        delivery: claimedDelivery({
          id: `dlv_plan_${i * 600 + 1}`,
          connectorId: connector.id,
          eventId: `evt_plan_${i * 600 + 1}`,
        }),
        cached,
        error: "boom",
      }),
    );
    const plan = await execute<Record<string, unknown>>(
      engine.ctx.db,
      sql`explain ${completionStatement(WORKER, completions)}`,
    );
    const text = plan.map((row) => String(Object.values(row)[0])).join("\n");
    expect(text).not.toMatch(/Seq Scan on deliveries/);
    expect(text).toMatch(/Index (Only )?Scan using deliveries_pkey/);

    await writeCompletions(engine.ctx.db, WORKER, completions);
    const row = await deliveryRow(engine, "dlv_plan_1");
    expect(row).toMatchObject({ attempts: 1, lockedBy: null });
    expect(row.status).not.toBe("PROCESSING");
  });
});
