import { undici } from "./deps.ts";
import { nowMs } from "./stats.ts";

export interface IngestTarget {
  baseUrl: string;
  token: string;
}

export interface SentEvent {
  id: string;
  sentAt: number;
  acceptedAt: number;
}

export function benchEvent(id: string, n: number, name = "bench.order.created") {
  return {
    id,
    name,
    source: "bench",
    payload: {
      orderId: `ord_${n}`,
      customer: { id: `cus_${n % 977}`, email: `customer${n % 977}@example.com` },
      amount: { value: 1999 + (n % 100), currency: "EUR" },
      items: [{ sku: `sku_${n % 31}`, qty: 1 + (n % 3) }],
    },
  };
}

/** What a load loop sends for the n-th event with id `id` (default: `benchEvent`). */
export type MakeEvent = (id: string, n: number) => unknown;

async function postEvent(pool: InstanceType<typeof undici.Pool>, target: IngestTarget, id: string, event: unknown) {
  const sentAt = nowMs();
  const res = await pool.request({
    path: "/v1/events",
    method: "POST",
    headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" },
    body: JSON.stringify(event),
  });
  const text = await res.body.text();
  if (res.statusCode !== 202 && res.statusCode !== 200)
    throw new Error(`ingest answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return { id, sentAt, acceptedAt: nowMs() };
}

/** `total` events posted by `clients` concurrent loops, each waiting for its answer before the next. */
export async function closedLoop(
  target: IngestTarget,
  options: { total: number; clients: number; prefix: string; name?: string; event?: MakeEvent },
) {
  const make: MakeEvent = options.event ?? ((id, n) => benchEvent(id, n, options.name));
  const pool = new undici.Pool(target.baseUrl, { connections: options.clients, pipelining: 1 });
  const sent: SentEvent[] = [];
  let next = 0;
  const started = nowMs();
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      for (;;) {
        const n = next++;
        if (n >= options.total) return;
        const id = `${options.prefix}_${n}`;
        sent.push(await postEvent(pool, target, id, make(id, n)));
      }
    }),
  );
  const finished = nowMs();
  await pool.close();
  return { sent, started, finished };
}

/** Open loop: one event every 1000/rate ms for `seconds`, whether or not earlier ones answered. */
export async function openLoop(target: IngestTarget, options: { rate: number; seconds: number; prefix: string }) {
  const pool = new undici.Pool(target.baseUrl, { connections: 16, pipelining: 1 });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const started = nowMs();
  const pending: Array<Promise<SentEvent>> = [];
  for (let n = 0; n < total; n++) {
    const due = started + n * interval;
    const wait = due - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `${options.prefix}_${n}`;
    pending.push(postEvent(pool, target, id, benchEvent(id, n)));
  }
  const sent = await Promise.all(pending);
  await pool.close();
  return { sent, started, finished: nowMs() };
}

/** `total` events in batches of `batchSize` through POST /v1/events/batch, one call after another. */
export async function bulkIngest(target: IngestTarget, options: { total: number; batchSize: number; prefix: string }) {
  const pool = new undici.Pool(target.baseUrl, { connections: 1 });
  const started = nowMs();
  for (let from = 0; from < options.total; from += options.batchSize) {
    const batch = [];
    for (let n = from; n < Math.min(options.total, from + options.batchSize); n++)
      batch.push(benchEvent(`${options.prefix}_${n}`, n));
    const res = await pool.request({
      path: "/v1/events/batch",
      method: "POST",
      headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`batch ingest answered ${res.statusCode}: ${text.slice(0, 300)}`);
  }
  const finished = nowMs();
  await pool.close();
  return { started, finished };
}
