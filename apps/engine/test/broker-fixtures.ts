// Real RabbitMQ (127.0.0.1:5672) and NATS JetStream (127.0.0.1:4222) for the broker tests: every test
// declares exchanges, queues and streams with a random suffix and removes them afterwards.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect as natsConnect, headers as natsHeaders } from "@nats-io/transport-node";
import { connect as amqpConnect, type Channel, type ChannelModel, type ConsumeMessage } from "amqplib";

export const AMQP_URL = "amqp://127.0.0.1:5672";
export const NATS_URL = "nats://127.0.0.1:4222";

export function suffix(): string {
  return randomBytes(5).toString("hex");
}

/** A RabbitMQ connection for the test itself, with what it declared deleted on `close()`. */
export async function amqpFixture(url = AMQP_URL) {
  const model: ChannelModel = await amqpConnect(url);
  model.on("error", () => {});
  const channel: Channel = await model.createChannel();
  const exchanges: string[] = [];
  const queues: string[] = [];
  return {
    channel,
    /** A topic exchange and a queue bound to it with `pattern`. */
    async exchangeWithQueue(pattern = "#", queueArgs: Record<string, unknown> = {}) {
      const exchange = `ib.test.ex.${suffix()}`;
      const queue = `ib.test.q.${suffix()}`;
      await channel.assertExchange(exchange, "topic", { durable: false });
      await channel.assertQueue(queue, { durable: false, arguments: queueArgs });
      await channel.bindQueue(queue, exchange, pattern);
      exchanges.push(exchange);
      queues.push(queue);
      return { exchange, queue };
    },
    /** A queue dead-lettering to another queue (through the default exchange). */
    async queueWithDeadLetters() {
      const dead = `ib.test.dlq.${suffix()}`;
      const queue = `ib.test.src.${suffix()}`;
      await channel.assertQueue(dead, { durable: false });
      await channel.assertQueue(queue, {
        durable: true,
        arguments: { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead },
      });
      queues.push(queue, dead);
      return { queue, dead };
    },
    publish(
      queue: string,
      body: unknown,
      options: { messageId?: string; headers?: Record<string, unknown>; contentType?: string } = {},
    ) {
      const content = Buffer.isBuffer(body)
        ? body
        : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
      channel.sendToQueue(queue, content, { persistent: true, ...options });
    },
    /** Every message waiting in `queue` (acked). */
    async drain(queue: string): Promise<ConsumeMessage[]> {
      const out: ConsumeMessage[] = [];
      for (;;) {
        const msg = await channel.get(queue, { noAck: true });
        if (!msg) return out;
        out.push(msg as unknown as ConsumeMessage);
      }
    },
    async count(queue: string): Promise<number> {
      return (await channel.checkQueue(queue)).messageCount;
    },
    async close() {
      for (const q of queues) await channel.deleteQueue(q).catch(() => {});
      for (const e of exchanges) await channel.deleteExchange(e).catch(() => {});
      await model.close().catch(() => {});
    },
  };
}
export type AmqpFixture = Awaited<ReturnType<typeof amqpFixture>>;

/** A NATS connection with JetStream, and streams deleted on `close()`. */
export async function natsFixture() {
  const nc = await natsConnect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const streams: string[] = [];
  return {
    nc,
    jsm,
    js,
    /** A stream capturing `<prefix>.>` with a de-duplication window. */
    async stream() {
      const name = `IBTEST_${suffix()}`;
      const prefix = `ibtest.${suffix()}`;
      await jsm.streams.add({ name, subjects: [`${prefix}.>`], duplicate_window: 120_000_000_000 });
      streams.push(name);
      return { name, prefix };
    },
    /** A durable pull consumer with a short ack wait (a killed consumer's messages come back quickly). */
    async consumer(stream: string, ackWaitMs = 2_000) {
      const name = `ibc_${suffix()}`;
      await jsm.consumers.add(stream, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        ack_wait: ackWaitMs * 1_000_000,
      });
      return name;
    },
    async publish(subject: string, body: unknown, msgId?: string, headers: Record<string, string> = {}) {
      const h = natsHeaders();
      for (const [k, v] of Object.entries(headers)) h.set(k, v);
      const data = typeof body === "string" ? body : JSON.stringify(body);
      return js.publish(subject, data, { ...(msgId ? { msgID: msgId } : {}), headers: h });
    },
    async messages(stream: string) {
      return (await jsm.streams.info(stream)).state.messages;
    },
    async close() {
      for (const s of streams) await jsm.streams.delete(s).catch(() => {});
      await nc.close().catch(() => {});
    },
  };
}
export type NatsFixture = Awaited<ReturnType<typeof natsFixture>>;

const run = promisify(execFile);

/**
 * A RabbitMQ vhost of the test's own (guest may use it), so `rabbitmqctl close_all_connections --vhost`
 * drops this test's connections and nobody else's.
 */
export async function rabbitVhost() {
  const vhost = `ib_test_${suffix()}`;
  await run("rabbitmqctl", ["-q", "add_vhost", vhost]);
  await run("rabbitmqctl", ["-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"]);
  return {
    vhost,
    url: `${AMQP_URL}/${vhost}`,
    async closeAllConnections() {
      await run("rabbitmqctl", ["-q", "close_all_connections", "--vhost", vhost, "test: broker connection drop"]);
    },
    async connections(): Promise<number> {
      const { stdout } = await run("rabbitmqctl", ["-q", "list_connections", "vhost"]);
      return stdout.split("\n").filter((line) => line.trim() === vhost).length;
    },
    async delete() {
      await run("rabbitmqctl", ["-q", "delete_vhost", vhost]).catch(() => {});
    },
  };
}
