import type { DestinationPolicy } from "@ib/core/ssrf";
import type { JetStreamManager, JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { refusalIn } from "../worker/transports/broker-guard.ts";
import { loadNats, type NatsLib, natsOptions } from "../worker/transports/nats.ts";
import { ConsumerConfigError, type ConsumerDriver, type Delivered } from "./consumer.ts";

/** How long the stream waits for an ack before offering a message again (consumers we create). */
const ACK_WAIT_NS = 30_000_000_000;

/**
 * Consuming a JetStream stream for a `nats` source: a durable pull consumer (created with explicit acks
 * when the stream does not have it yet), at most `prefetch` messages in hand. The client reconnects by
 * itself; the consumer reports the connection going down and coming back. A message that cannot become
 * an event is terminated (`term`), one that has to wait is `nak`ed with a delay.
 */
export function natsDriver(options: {
  servers(): Promise<string>;
  stream: string;
  consumer: string;
  prefetch: number;
  policy: DestinationPolicy;
  name: string;
}): ConsumerDriver {
  return {
    async open({ deliver, connection, inHand, room }) {
      const lib = await loadNats();
      let nc: NatsConnection;
      try {
        nc = await lib.transport.connect(await natsOptions(await options.servers(), options.policy, options.name));
      } catch (error) {
        const refused = refusalIn(error);
        if (refused) throw new ConsumerConfigError(refused.message);
        if ((error as Error)?.name === "AuthorizationError") throw new ConsumerConfigError(String(error));
        throw error;
      }
      try {
        const jsm = await lib.jetstream.jetstreamManager(nc);
        await ensureConsumer(lib, jsm, options.stream, options.consumer);
        const consumer = await lib.jetstream.jetstream(nc).consumers.get(options.stream, options.consumer);
        const messages = await consumer.consume({ max_messages: options.prefetch });
        let closedByUs = false;
        let end: (why: Error | null) => void = () => {};
        const ended = new Promise<Error | null>((resolve) => {
          end = resolve;
        });
        void (async () => {
          for await (const status of nc.status()) {
            if (status.type === "disconnect") connection(false, new Error(`disconnected from ${status.server}`));
            else if (status.type === "reconnect") connection(true);
          }
        })().catch(() => {});
        void nc.closed().then((error) => end(closedByUs ? null : (error ?? new Error("the connection closed"))));
        void (async () => {
          for await (const m of messages) {
            deliver(delivered(m, options.stream));
            while (inHand() >= options.prefetch * 2) await room();
          }
          end(closedByUs ? null : new Error(`consumer "${options.consumer}" stopped (deleted?)`));
        })().catch((error) => end(error as Error));
        return {
          ended,
          pending: async () => {
            const info = await consumer.info();
            return info.num_pending + info.num_ack_pending;
          },
          pause: async () => {
            await messages.close().catch(() => {});
          },
          close: async () => {
            closedByUs = true;
            await nc.close().catch(() => {});
          },
        };
      } catch (error) {
        await nc.close().catch(() => {});
        throw error;
      }
    },
  };
}

async function ensureConsumer(lib: NatsLib, jsm: JetStreamManager, stream: string, consumer: string): Promise<void> {
  const { AckPolicy, JetStreamApiCodes, JetStreamApiError } = lib.jetstream;
  try {
    await jsm.streams.info(stream);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
      throw new ConsumerConfigError(`stream "${stream}" does not exist`);
    throw error;
  }
  try {
    await jsm.consumers.info(stream, consumer);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, { durable_name: consumer, ack_policy: AckPolicy.Explicit, ack_wait: ACK_WAIT_NS });
  }
}

function delivered(m: JsMsg, stream: string): Delivered {
  const headers: Record<string, string> = {};
  if (m.headers) for (const name of m.headers.keys()) headers[name] = m.headers.get(name);
  const messageId = headers["Nats-Msg-Id"];
  return {
    message: {
      kind: "nats",
      body: Buffer.from(m.data),
      headers,
      address: m.subject,
      messageId: messageId ? messageId : null,
      stream,
      seq: m.seq,
      timestamp: m.time,
      contentType: headers["Content-Type"] ?? headers["content-type"] ?? null,
    },
    ack: () => m.ack(),
    refuse: (reason) => m.term(reason.slice(0, 200)),
    later: (delayMs) => m.nak(delayMs),
  };
}
