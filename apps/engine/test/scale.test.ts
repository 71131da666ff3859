import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, countingDestination, SKIP_REASON, startCluster } from "./engine-processes.ts";
import { waitFor } from "./harness.ts";

if (SKIP_REASON) console.warn(`scale-out tests skipped: ${SKIP_REASON}`);

describe.skipIf(Boolean(SKIP_REASON))("scale-out: 1 api + 3 workers on one PostgreSQL", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => cluster?.close());

  it("never processes a delivery in two workers at once and, without faults, sends each exactly once", async () => {
    // A little latency at the destination keeps every worker busy at the same time.
    const dest = await countingDestination(async (res) => {
      await new Promise((r) => setTimeout(r, 5));
      res.writeHead(200).end("ok");
    });
    try {
      // A generous timeout: on a busy CI machine a 2 s stall would be a fault (a retry), not what we test here.
      const connector = await cluster.createConnector(dest.url, { timeoutMs: 15_000 });
      const api = await cluster.start("api");
      const workers = await Promise.all([1, 2, 3].map(() => cluster.start("worker", { IB_WORKER_BATCH_SIZE: "20" })));
      const total = 900;

      // Watch which workers hold leases while the deliveries flow.
      const lockers = new Set<string>();
      let watching = true;
      const watch = (async () => {
        while (watching) {
          const rows = await execute<{ locked_by: string }>(
            cluster.observer.db,
            sql`select distinct locked_by from deliveries where status = 'PROCESSING' and locked_by is not null`,
          );
          for (const r of rows) lockers.add(r.locked_by.split(":").slice(0, -1).join(":"));
          await new Promise((r) => setTimeout(r, 20));
        }
      })();

      const ids = await cluster.ingest(api, connector.sourceEvent, total);
      expect(ids).toHaveLength(total);
      await waitFor(async () => (await cluster.statusCounts(connector.id)).SUCCESS === total, {
        timeoutMs: 45_000,
        intervalMs: 100,
        message: `${total} deliveries to succeed`,
      });
      watching = false;
      await watch;

      const errors = await execute<{ outcome: string; error: string | null; n: number | string }>(
        cluster.observer.db,
        sql`select outcome, error, count(*) as n from delivery_attempts
            where connector_id = ${connector.id} and outcome <> 'SUCCESS' group by outcome, error`,
      );
      expect(errors).toEqual([]);
      expect(dest.state.overlaps).toBe(0);
      expect(dest.counts.size).toBe(total);
      expect(dest.duplicates()).toBe(0);
      expect(dest.uniqueEvents()).toBe(total);
      const [attempts] = await execute<{ n: number | string; max: number | string }>(
        cluster.observer.db,
        sql`select count(*) as n, max(c) as max from (
              select count(*) as c from delivery_attempts where connector_id = ${connector.id} group by delivery_id) t`,
      );
      expect(Number(attempts?.n)).toBe(total);
      expect(Number(attempts?.max)).toBe(1);
      // The work was shared: more than one worker process held leases (all three, on most runs).
      const workerPids = new Set(workers.map((w) => String(w.pid)));
      const seen = [...lockers].filter((l) => workerPids.has(l.split(":").at(-1) as string));
      expect(seen.length).toBeGreaterThanOrEqual(2);
      console.info(`scale: ${total} deliveries, ${seen.length} of 3 workers seen holding leases, 0 duplicates`);
    } finally {
      await dest.close();
    }
  });
});
