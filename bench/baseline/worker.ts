// The baseline "as a team would write it": graphile-worker 0.17 running one task that maps the event
// and POSTs it with Node's global fetch. Runs as its own process, like the engine, so its peak RSS is
// measured the same way. Env: DATABASE_URL, SINK_URL, CONCURRENCY. Imports only what it uses (its RSS
// is a figure).
import * as graphile from "graphile-worker";
import { type BenchEvent, sinkBody } from "./sink-body.ts";

const sinkUrl = process.env.SINK_URL as string;
const concurrency = Number(process.env.CONCURRENCY ?? 32);

const runner = await graphile.run({
  connectionString: process.env.DATABASE_URL as string,
  concurrency,
  maxPoolSize: concurrency + 2,
  noHandleSignals: true,
  pollInterval: 1000,
  // Errors only: graphile-worker logs every job at info, which would be part of what we time.
  logger: new (graphile.Logger as unknown as new (factory: unknown) => InstanceType<typeof graphile.Logger>)(
    () => (level: string, message: string) => {
      if (level === "error") process.stderr.write(`${message}\n`);
    },
  ),
  taskList: {
    async deliver(payload) {
      const event = payload as BenchEvent;
      const res = await fetch(sinkUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": event.id },
        body: sinkBody(event),
        signal: AbortSignal.timeout(10_000),
      });
      await res.text();
      if (!res.ok) throw new Error(`destination answered ${res.status}`);
    },
  },
});

process.stdout.write("ready\n");
const stop = async () => {
  await runner.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
await runner.promise;
