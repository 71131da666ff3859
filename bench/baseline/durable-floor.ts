// The durable floor's process (floor.ts): the least an HTTP ingest that commits each event to PostgreSQL
// before answering can do, with none of the engine's work — no auth, validation, routing, mapping,
// retries, attempt records or metrics. node:http; events group-committed into one table with one index
// (its primary key) while a commit is in flight, 202 after the commit; then the same 5-field POST to the
// sink as the baselines (undici Pool) and the outcome group-committed (`status = 'SUCCESS'`, a HOT update).
// A failed call leaves its row PENDING (the bench counts it: no retries here). What it reaches is an upper
// bound for the engine on this machine, not a contender with the engine's guarantees.
// Env: DATABASE_URL, SINK_URL, PORT, CONCURRENCY.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import postgres from "postgres";
import { Pool } from "undici";
import { type BenchEvent, sinkBody } from "./sink-body.ts";

const sink = new URL(process.env.SINK_URL as string);
const pool = new Pool(sink.origin, { connections: Number(process.env.CONCURRENCY ?? 32) });
const sql = postgres(process.env.DATABASE_URL as string, { max: 2, onnotice: () => {} });

await sql`create table if not exists floor_events (
  id text primary key, payload json not null, status text not null default 'PENDING', completed_at timestamptz)`;

/** Group commit: whatever arrives while one statement runs goes in the next. */
function groupCommit<T>(write: (items: T[]) => Promise<unknown>) {
  let waiting: { item: T; done: (error?: unknown) => void }[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      const error = await write(batch.map((w) => w.item)).then(
        () => undefined,
        (e: unknown) => e ?? new Error("write failed"),
      );
      for (const w of batch) w.done(error);
    }
    running = false;
  };
  return (item: T) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, done: (error) => (error ? reject(error) : resolve()) });
      if (!running) void drain();
    });
}

const insert = groupCommit<BenchEvent>(
  (events) => sql`insert into floor_events (id, payload)
    select x.id, x.payload from json_to_recordset(${sql.json(events.map((e) => ({ id: e.id, payload: e })) as never)}::json)
      as x(id text, payload json)`,
);
const succeeded = groupCommit<string>(
  (ids) => sql`update floor_events set status = 'SUCCESS', completed_at = now() where id = any(${ids})`,
);

async function deliver(event: BenchEvent) {
  try {
    const res = await pool.request({
      path: sink.pathname,
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": event.id },
      body: sinkBody(event),
    });
    await res.body.text();
    if (res.statusCode < 300) await succeeded(event.id);
  } catch (error) {
    process.stderr.write(`floor: delivering ${event.id}: ${String(error)}\n`);
  }
}

function answer(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function ingest(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as BenchEvent | BenchEvent[];
  const events = Array.isArray(body) ? body : [body];
  await Promise.all(events.map(insert));
  answer(res, 202, Array.isArray(body) ? { accepted: events.length } : { id: events[0]?.id });
  for (const event of events) void deliver(event);
}

const server = createServer((req, res) => {
  if (req.method !== "POST" || !req.url?.startsWith("/v1/events")) return answer(res, 404, { error: "not found" });
  ingest(req, res).catch((error: unknown) => answer(res, 500, { error: String(error) }));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("ready\n"));

process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  void Promise.all([pool.close(), sql.end({ timeout: 5 })]).then(() => process.exit(0));
});
