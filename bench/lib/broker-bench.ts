// Issue 16 item 9: events per second from an AMQP source to an AMQP destination through the engine
// (consume, ingest as events with their deliveries, deliver each to another queue with a publisher
// confirm), against a plain amqplib consume → publish-with-confirms → ack loop on the same broker in the
// same run: the physical limit of the broker and client here.
import { randomBytes } from "node:crypto";
import { type Channel, type ChannelModel, type ConfirmChannel, connect } from "amqplib";
import { cpuSeconds } from "./engine-process.ts";
import { type IngestEngine, startIngestEngine } from "./ingest-engine.ts";
import { nowMs, until } from "./stats.ts";

export const BROKER_URL = process.env.BENCH_AMQP_URL ?? "amqp://127.0.0.1:5672";
const PREFETCH = 50;

export interface BrokerBenchResult {
  driver: "postgres" | "pglite";
  messages: number;
  /** The plain amqplib loop: consume, publish with a confirm, ack. */
  plainPerSecond: number;
  /** Through the engine: message → event + delivery → published to the destination queue, confirmed. */
  enginePerSecond: number;
  ratio: number;
  /** CPU per message of this (bench) process running the plain loop, and of the engine process per event. */
  plainCpuMsPerMessage: number;
  engineCpuMsPerEvent: number | null;
}

async function queues(channel: Channel) {
  const tag = randomBytes(4).toString("hex");
  const source = `ib.bench.source.${tag}`;
  const destination = `ib.bench.destination.${tag}`;
  await channel.assertQueue(source, { durable: true });
  await channel.assertQueue(destination, { durable: true });
  return { source, destination };
}

function fill(channel: Channel, queue: string, count: number, tag: string) {
  for (let i = 0; i < count; i++) {
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ n: i, orderId: `ord_${i}` })), {
      persistent: true,
      messageId: `${tag}_${i}`,
    });
  }
}

async function waitForCount(channel: Channel, queue: string, count: number, timeoutMs: number) {
  await until(async () => (await channel.checkQueue(queue)).messageCount >= count, {
    timeoutMs,
    intervalMs: 50,
    what: `${count} messages in ${queue}`,
  });
}

/** The plain loop: what a hand-written bridge between two queues does with confirms, and nothing else. */
async function plainLoop(model: ChannelModel, messages: number): Promise<{ perSecond: number; cpuMs: number }> {
  const admin = await model.createChannel();
  const { source, destination } = await queues(admin);
  const consumer = await model.createChannel();
  const publisher: ConfirmChannel = await model.createConfirmChannel();
  await consumer.prefetch(PREFETCH);
  const cpu = process.cpuUsage();
  const started = nowMs();
  const { consumerTag } = await consumer.consume(source, (msg) => {
    if (!msg) return;
    publisher.sendToQueue(
      destination,
      msg.content,
      { persistent: true, messageId: msg.properties.messageId },
      (err) => {
        if (err) consumer.nack(msg, false, true);
        else consumer.ack(msg);
      },
    );
  });
  fill(admin, source, messages, "plain");
  await waitForCount(admin, destination, messages, 120_000);
  const seconds = (nowMs() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await consumer.cancel(consumerTag);
  for (const q of [source, destination]) await admin.deleteQueue(q);
  await Promise.all([consumer.close(), publisher.close(), admin.close()]);
  return { perSecond: messages / seconds, cpuMs: (used.user + used.system) / 1000 / messages };
}

export async function benchBrokers(options: {
  driver: "postgres" | "pglite";
  databaseUrl?: string;
  messages: number;
  log: (line: string) => void;
}): Promise<BrokerBenchResult> {
  const model = await connect(BROKER_URL);
  model.on("error", () => {});
  let ie: IngestEngine | undefined;
  try {
    const plain = await plainLoop(model, options.messages);
    const plainPerSecond = plain.perSecond;
    options.log(
      `  plain amqplib loop: ${Math.round(plainPerSecond)} messages/s, ${plain.cpuMs.toFixed(3)} CPU ms each`,
    );

    const running = await startIngestEngine({
      driver: options.driver,
      databaseUrl: options.databaseUrl,
      env: { IB_WORKER_POLL_MS: "100" },
    });
    ie = running;
    const engine = running.engine;
    const admin = await model.createChannel();
    const { source, destination } = await queues(admin);
    const eventName = `bench.broker.${randomBytes(3).toString("hex")}`;
    await running.admin("PUT", "/connectors", {
      name: "bench: to a queue",
      sourceEvent: eventName,
      destination: { type: "amqp", url: BROKER_URL, exchange: "", routingKey: destination },
      mapping: { orderId: "$.payload.orderId", n: "$.payload.n" },
    });
    const created = await running.admin<{ source?: { id: string } }>("PUT", "/sources", {
      name: "bench: from a queue",
      kind: "amqp",
      url: BROKER_URL,
      queue: source,
      prefetch: PREFETCH,
      eventName,
    });
    const sourceId = created.source?.id as string;
    await until(
      async () =>
        (await running.admin<{ source: { runtime: { state: string } } }>("GET", `/sources/${sourceId}`)).source.runtime
          .state === "consuming",
      { timeoutMs: 30_000, intervalMs: 100, what: "the broker source to be consuming" },
    );
    // A warm-up round (JIT, pools, the broker connections), not measured.
    const warm = Math.min(500, options.messages);
    fill(admin, source, warm, "warm");
    await waitForCount(admin, destination, warm, 60_000);
    await admin.purgeQueue(destination);

    const cpuBefore = cpuSeconds(engine.pid);
    const started = nowMs();
    fill(admin, source, options.messages, "engine");
    await waitForCount(admin, destination, options.messages, 300_000);
    const seconds = (nowMs() - started) / 1000;
    const cpuAfter = cpuSeconds(engine.pid);
    const enginePerSecond = options.messages / seconds;
    options.log(`  engine (${options.driver}): ${Math.round(enginePerSecond)} events/s source → destination`);
    for (const q of [source, destination]) await admin.deleteQueue(q);
    await admin.close();
    return {
      driver: options.driver,
      messages: options.messages,
      plainPerSecond,
      enginePerSecond,
      ratio: enginePerSecond / plainPerSecond,
      plainCpuMsPerMessage: plain.cpuMs,
      engineCpuMsPerEvent:
        cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) * 1000) / options.messages : null,
    };
  } finally {
    await ie?.stop();
    await model.close().catch(() => {});
  }
}
