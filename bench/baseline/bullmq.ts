// The second baseline (issue 18): BullMQ on the machine's Redis, jobs added with `queue.add` (one by
// one) and `queue.addBulk` (bulk), the worker (`bullmq-worker.ts`) POSTing with an undici Pool. Each run
// has its own queue name, obliterated at the end.
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { ContenderResult } from "../lib/result.ts";
import { type BaselineOptions, benchQueueBaseline, type QueueClient } from "./queue-baseline.ts";

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const BULLMQ_VERSION: string = createRequire(import.meta.url)("bullmq/package.json").version;

/**
 * Retries as the engine's bench connector has them (5 attempts, exponential from 1 s); completed jobs
 * are removed (as graphile-worker does), failed ones kept so that the run can count them.
 */
const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: false,
};

/**
 * The Redis server's version and persistence settings (recorded with the results: with `appendonly no`
 * BullMQ's writes never wait for a disk, the engine's commits do), or null when it does not answer.
 */
export async function redisInfo(): Promise<{ url: string; version: string; appendonly: string; save: string } | null> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    const version = /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "?";
    const setting = async (name: string) => ((await redis.config("GET", name)) as string[])[1] ?? "?";
    return { url: REDIS_URL, version, appendonly: await setting("appendonly"), save: await setting("save") };
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

export async function benchBullmq(options: BaselineOptions): Promise<ContenderResult> {
  const queueName = `ib-bench-${randomBytes(4).toString("hex")}`;
  const queue = new Queue(queueName, { connection: { url: REDIS_URL }, defaultJobOptions: JOB_OPTIONS });
  queue.on("error", () => {});
  try {
    await queue.waitUntilReady();
  } catch (error) {
    await queue.close();
    throw new Error(`Redis at ${REDIS_URL}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const client: QueueClient = {
    add: (event) => queue.add("deliver", event),
    addBulk: (events) => queue.addBulk(events.map((data) => ({ name: "deliver", data }))),
    async left() {
      const counts = await queue.getJobCounts(
        "waiting",
        "active",
        "delayed",
        "prioritized",
        "failed",
        "waiting-children",
      );
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    },
    async close() {
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
  return benchQueueBaseline(
    {
      key: "bullmq",
      contender: `BullMQ ${BULLMQ_VERSION} (Redis) + undici`,
      worker: {
        script: "bench/baseline/bullmq-worker.ts",
        env: {
          REDIS_URL,
          QUEUE: queueName,
          SINK_URL: options.sink.url,
          CONCURRENCY: String(options.concurrency),
        },
      },
      client,
    },
    options,
  );
}
