// The first baseline: graphile-worker 0.17 on a fresh PostgreSQL database, jobs added with `addJob`
// (one by one) and `addJobs` (bulk), the worker (`worker.ts`) POSTing with Node's fetch.
import { freshDatabase } from "../lib/database.ts";
import { graphile, pg } from "../lib/deps.ts";
import type { ContenderResult } from "../lib/result.ts";
import { type BaselineOptions, benchQueueBaseline, type QueueClient } from "./queue-baseline.ts";

export async function benchGraphile(options: BaselineOptions & { databaseUrl: string }): Promise<ContenderResult> {
  const db = await freshDatabase(options.databaseUrl, "ib_bench_graphile");
  // Our own pool, so dropping the database at the end cannot crash us with an unhandled pool error.
  const pool = new pg.Pool({ connectionString: db.url, max: options.clients });
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  let utils: Awaited<ReturnType<typeof graphile.makeWorkerUtils>> | undefined;
  try {
    utils = await graphile.makeWorkerUtils({ pgPool: pool as never });
    await utils.migrate();
  } catch (error) {
    await utils?.release();
    await pool.end();
    await db.drop();
    throw error;
  }
  const u = utils;
  const client: QueueClient = {
    add: (event) => u.addJob("deliver", event),
    addBulk: (events) => u.addJobs(events.map((payload) => ({ identifier: "deliver", payload }))),
    async left() {
      // Completed jobs are deleted; what stays has failed, is waiting for a retry or never ran.
      const result = (await u.withPgClient((c) =>
        c.query("select count(*)::int as n from graphile_worker.jobs"),
      )) as unknown as { rows: Array<{ n: number }> };
      return result.rows[0]?.n ?? 0;
    },
    async close() {
      await u.release();
      await pool.end();
      await db.drop();
    },
  };
  return benchQueueBaseline(
    {
      key: "graphile",
      contender: "graphile-worker 0.17.3 + fetch",
      worker: {
        script: "bench/baseline/worker.ts",
        env: { DATABASE_URL: db.url, SINK_URL: options.sink.url, CONCURRENCY: String(options.concurrency) },
      },
      client,
    },
    options,
  );
}
