// The BullMQ baseline's worker "as a team would write it": one processor that maps the event to the
// same 5 fields as the engine's bench connector and POSTs it through an undici Pool (keep-alive
// connections to the sink). Its own process, so its CPU and peak RSS are measured like the engine's.
// Env: REDIS_URL, QUEUE, SINK_URL, CONCURRENCY. Imports only what it uses (its RSS is a figure).
import { Worker } from "bullmq";
import { Pool } from "undici";
import { type BenchEvent, sinkBody } from "./sink-body.ts";

const sink = new URL(process.env.SINK_URL as string);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const pool = new Pool(sink.origin, { connections: concurrency });

const worker = new Worker(
  process.env.QUEUE as string,
  async (job) => {
    const event = job.data as BenchEvent;
    const res = await pool.request({
      path: sink.pathname,
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": event.id },
      body: sinkBody(event),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await res.body.text();
    if (res.statusCode >= 300) throw new Error(`destination answered ${res.statusCode}`);
  },
  { connection: { url: process.env.REDIS_URL as string }, concurrency },
);
worker.on("error", (error) => process.stderr.write(`bullmq worker: ${error.message}\n`));
worker.on("failed", (job, error) => process.stderr.write(`bullmq job ${job?.id} failed: ${error.message}\n`));
await worker.waitUntilReady();
process.stdout.write("ready\n");

const stop = async () => {
  await worker.close();
  await pool.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
