// Broker sources across real engine processes on one PostgreSQL (issue 16 items 5 and 7): two workers,
// one consumer per source (the other waits on the advisory lock); 2,000 messages with the consuming
// process killed (-9) mid-way and restarted: every message becomes exactly one event, and every event's
// delivery reaches the destination.
import { newId } from "@ib/core/ids";
import { execute, sources } from "@ib/db";
import { waitFor } from "@ib/testing";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { AMQP_URL, amqpFixture, NATS_URL, natsFixture, suffix } from "./broker-fixtures.ts";
import {
  type Cluster,
  countingDestination,
  type EngineProcess,
  SKIP_REASON,
  startCluster,
} from "./engine-processes.ts";

const TOTAL = 2_000;
const CONSUMING = "broker source: consuming here";

describe.skipIf(SKIP_REASON)("broker sources survive kill -9 (real processes, PostgreSQL)", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
  });

  async function run(
    kind: "amqp" | "nats",
    publish: (ids: string[]) => Promise<void>,
    config: Record<string, unknown>,
  ) {
    const cluster: Cluster = await startCluster();
    cleanup.push(() => cluster.close());
    const destination = await countingDestination();
    cleanup.push(() => destination.close());
    const connector = await cluster.createConnector(destination.url);
    const sourceId = newId("source");
    await cluster.observer.db.insert(sources).values({
      id: sourceId,
      name: `crash test ${kind}`,
      kind,
      config: { ...config, prefetch: 50 },
      eventName: connector.sourceEvent,
    });

    const t0 = Date.now();
    const phase = (what: string) => process.stdout.write(`[${kind}] ${what} at ${Date.now() - t0} ms\n`);
    // A short delivery lease: what the killed worker had claimed is taken back in seconds, not a minute.
    const worker = () => cluster.start("worker", { IB_LEASE_MS: "5000" });
    const [a, b] = (await Promise.all([worker(), worker()])) as [EngineProcess, EngineProcess];
    phase("two workers up");
    const consumers = () => [a, b].filter((p) => p.output().includes(CONSUMING));
    await waitFor(() => consumers().length > 0, { timeoutMs: 20_000, message: "one worker to take the source" });

    phase("one consuming");
    const ids = Array.from({ length: TOTAL }, (_, i) => `${kind}_${suffix()}_${i}`);
    await publish(ids);
    const eventCount = async () => {
      const [row] = await execute<{ n: number | string; distinct: number | string }>(
        cluster.observer.db,
        sql`select count(*) as n, count(distinct id) as distinct from events where source = ${`${kind}/${sourceId}`}`,
      );
      return { n: Number(row?.n ?? 0), distinct: Number(row?.distinct ?? 0) };
    };
    await waitFor(async () => (await eventCount()).n >= TOTAL / 4, {
      timeoutMs: 30_000,
      message: "a quarter ingested",
    });

    // Exactly one process consumed so far; kill it mid-stream and start it again.
    const [leader, ...others] = consumers();
    expect(others).toEqual([]);
    const standby = (leader === a ? b : a) as EngineProcess;
    phase("a quarter ingested; kill -9");
    leader!.kill("SIGKILL");
    await leader!.exited;
    const restarted = await worker();
    phase("restarted");
    await waitFor(async () => (await eventCount()).n === TOTAL, {
      timeoutMs: 60_000,
      message: "every message ingested",
    });
    phase("all ingested");
    await waitFor(async () => (await cluster.statusCounts(connector.id)).SUCCESS === TOTAL, {
      timeoutMs: 60_000,
      message: "every delivery made",
    });

    phase("all delivered");
    const counted = await eventCount();
    expect(counted).toEqual({ n: TOTAL, distinct: TOTAL });
    const stored = await execute<{ id: string }>(
      cluster.observer.db,
      sql`select id from events where source = ${`${kind}/${sourceId}`}`,
    );
    const storedIds = new Set(stored.map((r) => r.id));
    expect(ids.filter((id) => !storedIds.has(id))).toEqual([]);
    // At least once at the destination, each event's delivery once in the database.
    expect(destination.uniqueEvents()).toBe(TOTAL);
    expect(await cluster.statusCounts(connector.id)).toEqual({ SUCCESS: TOTAL });
    // The standby (or the restarted process) took over; still one consumer at a time.
    expect([standby, restarted].filter((p) => p.output().includes(CONSUMING)).length).toBeGreaterThanOrEqual(1);
  }

  it("AMQP: 2,000 messages, the consumer killed mid-way: exactly one event per message, every delivery made", async () => {
    const amqp = await amqpFixture();
    cleanup.push(() => amqp.close());
    const { queue } = await amqp.queueWithDeadLetters();
    await run(
      "amqp",
      async (ids) => {
        for (const id of ids) amqp.publish(queue, { id }, { messageId: id });
        await amqp.channel.checkQueue(queue);
      },
      { url: AMQP_URL, queue },
    );
    expect(await amqp.count(queue)).toBe(0);
  }, 150_000);

  it("NATS: 2,000 messages, the consumer killed mid-way: exactly one event per message, every delivery made", async () => {
    const nats = await natsFixture();
    cleanup.push(() => nats.close());
    const stream = await nats.stream();
    // A short ack wait: the killed consumer's unacknowledged messages come back within seconds.
    const consumer = await nats.consumer(stream.name, 2_000);
    await run(
      "nats",
      async (ids) => {
        for (let i = 0; i < ids.length; i += 200) {
          await Promise.all(ids.slice(i, i + 200).map((id) => nats.publish(`${stream.prefix}.order`, { id }, id)));
        }
      },
      { servers: NATS_URL, stream: stream.name, consumer },
    );
    expect(await nats.messages(stream.name)).toBe(TOTAL);
  }, 150_000);
});
