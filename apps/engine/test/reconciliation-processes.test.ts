import { randomBytes } from "node:crypto";
import { execute } from "@ib/db";
import { startReceiver } from "@ib/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, SKIP_REASON, startCluster } from "./engine-processes.ts";
import { waitFor } from "./harness.ts";

if (SKIP_REASON) console.warn(`reconciliation process tests skipped: ${SKIP_REASON}`);

/** The expectation ids in a process's `expectation_missing` alert lines. */
function missingAlerts(output: string): string[] {
  const ids: string[] = [];
  for (const line of output.split("\n")) {
    if (!line.includes('"expectation_missing"')) continue;
    const parsed = JSON.parse(line) as { alert?: string; expectationId?: string; level?: number };
    if (parsed.alert === "expectation_missing" && parsed.level === 40 && parsed.expectationId) {
      ids.push(parsed.expectationId);
    }
  }
  return ids;
}

describe.skipIf(Boolean(SKIP_REASON))("reconciliation sweep: 1 api + 2 workers on one PostgreSQL", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => cluster?.close());

  it("marks every overdue expectation MISSING once, with exactly one alert line across the processes", async () => {
    const payments = await startReceiver((_req, n, res) => {
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: `pay_${n}` }));
    });
    try {
      const eventName = `payment.confirmed.${randomBytes(3).toString("hex")}`;
      const connector = await cluster.createConnector(payments.url, {
        expect: { eventName, key: "$.response.body.id", eventKey: "$.payload.id", withinMs: 2000 },
      });
      const api = await cluster.start("api");
      const sweeping = { IB_RECONCILIATION_INTERVAL_MS: "100", IB_RECONCILIATION_BATCH_SIZE: "10" };
      const workers = await Promise.all([cluster.start("worker", sweeping), cluster.start("worker", sweeping)]);
      const total = 300;
      await cluster.ingest(api, connector.sourceEvent, total);

      const counts = async () =>
        Object.fromEntries(
          (
            await execute<{ status: string; n: number | string }>(
              cluster.observer.db,
              sql`select status, count(*) as n from expectations where connector_id = ${connector.id} group by status`,
            )
          ).map((r) => [r.status, Number(r.n)]),
        );
      await waitFor(async () => (await counts()).MISSING === total, {
        timeoutMs: 60_000,
        intervalMs: 200,
        message: `${total} expectations to become MISSING`,
      });
      expect(await counts()).toEqual({ MISSING: total });

      // The alert lines are written after the commit: give the last ones a moment to reach the pipes.
      const alerted = await waitFor(
        () => {
          const all = workers.flatMap((w) => missingAlerts(w.output()));
          return all.length >= total ? all : null;
        },
        { timeoutMs: 10_000, message: "every alert line" },
      );
      expect(alerted).toHaveLength(total);
      expect(new Set(alerted).size).toBe(total);
      const perWorker = workers.map((w) => missingAlerts(w.output()).length);
      console.info(`reconciliation sweep: alerts per worker ${perWorker.join(" / ")}`);
      expect(perWorker.reduce((a, b) => a + b, 0)).toBe(total);
      expect(missingAlerts(api.output())).toEqual([]); // the api role does not sweep
    } finally {
      await payments.close();
    }
  });
});
