import type { LookupFunction } from "node:net";
import type { DestinationPolicy } from "@ib/core/ssrf";
import type { ChannelModel, ConsumeMessage } from "amqplib";
import { guardedLookup } from "../worker/ssrf-guard.ts";
import { loadAmqplib } from "../worker/transports/amqp.ts";
import { assertBrokerHostAllowed, refusalIn } from "../worker/transports/broker-guard.ts";
import { ConsumerConfigError, type ConsumerDriver, type Delivered } from "./consumer.ts";

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Consuming a RabbitMQ queue for an `amqp` source: a connection of its own, `prefetch` unacked messages
 * at most, manual acks. A message that cannot become an event is rejected without requeue, so it goes to
 * the queue's dead-letter exchange if it has one. The queue must exist (declare it with its DLX).
 */
export function amqpDriver(options: {
  /** The source's URL with its secrets filled in (read at each connect, so a rotated password is used). */
  url(): Promise<string>;
  queue: string;
  prefetch: number;
  policy: DestinationPolicy;
  name: string;
}): ConsumerDriver {
  return {
    async open({ deliver }) {
      const url = await options.url();
      let model: ChannelModel;
      try {
        await assertBrokerHostAllowed(new URL(url).hostname, options.policy);
        const { connect } = await loadAmqplib();
        model = await connect(url, {
          lookup: guardedLookup(options.policy) as unknown as LookupFunction,
          timeout: CONNECT_TIMEOUT_MS,
          clientProperties: { connection_name: options.name },
        });
      } catch (error) {
        const refused = refusalIn(error);
        if (refused) throw new ConsumerConfigError(refused.message);
        if (/ACCESS.REFUSED|403/.test(String((error as Error)?.message))) throw new ConsumerConfigError(String(error));
        throw error;
      }
      let end: (why: Error | null) => void = () => {};
      const ended = new Promise<Error | null>((resolve) => {
        end = resolve;
      });
      let closedByUs = false;
      model.on("error", () => {});
      model.on("close", (error?: Error) =>
        end(closedByUs ? null : (error ?? new Error("the broker closed the connection"))),
      );
      try {
        const channel = await model.createChannel();
        let channelError: Error | undefined;
        channel.on("error", (error) => {
          channelError = error;
        });
        channel.on("close", () => {
          if (!closedByUs) end(channelError ?? new Error("the broker closed the channel"));
        });
        try {
          await channel.checkQueue(options.queue);
        } catch (error) {
          throw new ConsumerConfigError(`queue "${options.queue}" cannot be consumed: ${(error as Error).message}`);
        }
        await channel.prefetch(options.prefetch);
        const { consumerTag } = await channel.consume(
          options.queue,
          (msg) => {
            if (!msg) {
              end(new Error(`the broker cancelled the consumer (queue "${options.queue}" deleted?)`));
              return;
            }
            deliver(delivered(msg, channel));
          },
          { noAck: false },
        );
        return {
          ended,
          pending: async () => (await channel.checkQueue(options.queue)).messageCount,
          pause: async () => {
            await channel.cancel(consumerTag);
          },
          close: async () => {
            closedByUs = true;
            await model.close().catch(() => {});
            end(null);
          },
        };
      } catch (error) {
        closedByUs = true;
        await model.close().catch(() => {});
        throw error;
      }
    },
  };
}

function delivered(
  msg: ConsumeMessage,
  channel: { ack(m: ConsumeMessage): void; nack(m: ConsumeMessage, allUpTo?: boolean, requeue?: boolean): void },
): Delivered {
  const timestamp = typeof msg.properties.timestamp === "number" ? new Date(msg.properties.timestamp * 1000) : null;
  const messageId = msg.properties.messageId;
  return {
    message: {
      kind: "amqp",
      body: msg.content,
      headers: headerText(msg.properties.headers ?? {}),
      address: msg.fields.routingKey,
      messageId: typeof messageId === "string" && messageId ? messageId : null,
      timestamp,
      contentType: typeof msg.properties.contentType === "string" ? msg.properties.contentType : null,
    },
    ack: () => channel.ack(msg),
    refuse: () => channel.nack(msg, false, false),
  };
}

/** AMQP header tables hold numbers, booleans, byte arrays and nested tables: each becomes text. */
function headerText(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    if (Buffer.isBuffer(value)) out[name] = value.toString("utf8");
    else if (typeof value === "object") out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}
