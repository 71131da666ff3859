import type { LookupFunction } from "node:net";
import type { DestinationPolicy } from "@ib/core/ssrf";
import type { ChannelModel, ConfirmChannel } from "amqplib";
import type { Logger } from "../../lib/logger.ts";
import { guardedLookup } from "../ssrf-guard.ts";
import { assertBrokerHostAllowed, refusalIn } from "./broker-guard.ts";
import { describeError, type OutboundMessage, type PublishResult, stopwatch } from "./types.ts";

const CONNECT_TIMEOUT_MS = 10_000;

// amqplib is loaded with the first AMQP destination or source: an engine that never uses RabbitMQ does not
// keep it in memory.
let amqplib: Promise<typeof import("amqplib")> | undefined;
export const loadAmqplib = () => {
  amqplib ??= import("amqplib");
  return amqplib;
};

/** Channel-closing replies that will not change on a retry: no such exchange, access refused. */
const PERMANENT_CLOSE_CODES = new Set([403, 404]);

interface ChannelState {
  channel: ConfirmChannel;
  /** Message ids the broker returned as unroutable (`basic.return` comes before their confirm). */
  returned: Set<string>;
  /** Why the broker closed the channel, once it has. */
  closedWith?: Error & { code?: number };
}

interface Broker {
  model: Promise<ChannelModel>;
  /** One confirm channel per exchange: a channel the broker closes (no such exchange) hurts only its own. */
  channels: Map<string, Promise<ChannelState>>;
}

/**
 * RabbitMQ publishing for AMQP destinations (DESIGN §13): one connection per broker URL, opened on first
 * use and dropped when it closes (a broker restart, `rabbitmqctl close_all_connections`), so the next
 * attempt reconnects. Messages are persistent and `mandatory`; success is the publisher confirm, an
 * unroutable message (returned) or a missing exchange is a permanent failure, and a nack, a closed
 * channel or no confirm within the timeout is a retryable one. Owned by the app context, closed on shutdown.
 */
export class AmqpPublishers {
  private readonly brokers = new Map<string, Broker>();
  private closed = false;

  constructor(
    private readonly policy: DestinationPolicy,
    private readonly logger: Logger,
  ) {}

  /** Open connections (for tests and metrics). */
  get size(): number {
    return this.brokers.size;
  }

  async publish(
    url: string,
    target: { exchange: string; routingKey: string },
    message: OutboundMessage,
    timeoutMs: number,
  ): Promise<PublishResult> {
    const elapsed = stopwatch();
    let state: ChannelState;
    try {
      state = await withTimeout(this.channel(url, target.exchange, timeoutMs), timeoutMs);
    } catch (error) {
      if (error instanceof TimeoutSignal) return { kind: "timeout", durationMs: elapsed() };
      const refused = refusalIn(error);
      if (refused) return { kind: "refused", error: refused.message, durationMs: elapsed() };
      const closed = error as Error & { code?: number };
      if (closed.code !== undefined && PERMANENT_CLOSE_CODES.has(closed.code))
        return { kind: "rejected", error: describeError(error), durationMs: elapsed() };
      return { kind: "network", error: describeError(error), durationMs: elapsed() };
    }
    return new Promise<PublishResult>((resolve) => {
      let settled = false;
      const settle = (result: PublishResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => settle({ kind: "timeout", durationMs: elapsed() }), timeoutMs);
      try {
        state.channel.publish(
          target.exchange,
          target.routingKey,
          message.body,
          {
            persistent: true,
            mandatory: true,
            messageId: message.messageId,
            contentType: message.contentType,
            timestamp: Math.floor(Date.now() / 1000),
            headers: message.headers,
          },
          (err) => {
            const wasReturned = state.returned.delete(message.messageId);
            if (err) {
              const closedWith = state.closedWith;
              if (closedWith?.code !== undefined && PERMANENT_CLOSE_CODES.has(closedWith.code)) {
                settle({ kind: "rejected", error: describeError(closedWith), durationMs: elapsed() });
              } else {
                const why = closedWith ? describeError(closedWith) : describeError(err);
                settle({ kind: "network", error: `not confirmed: ${why}`, durationMs: elapsed() });
              }
            } else if (wasReturned) {
              settle({
                kind: "rejected",
                error: `unroutable: exchange "${target.exchange}" has no queue bound for routing key "${target.routingKey}" (returned NO_ROUTE)`,
                durationMs: elapsed(),
              });
            } else {
              settle({
                kind: "published",
                durationMs: elapsed(),
                details: { confirm: "ack", exchange: target.exchange, routingKey: target.routingKey },
              });
            }
          },
        );
      } catch (error) {
        // The channel closed between taking it and publishing (IllegalOperationError): retry later.
        this.forgetChannel(url, target.exchange, state);
        settle({ kind: "network", error: describeError(error), durationMs: elapsed() });
      }
    });
  }

  /** Close every connection; publishing afterwards fails. */
  async close(): Promise<void> {
    this.closed = true;
    const models = [...this.brokers.values()].map((b) => b.model);
    this.brokers.clear();
    await Promise.allSettled(models.map(async (m) => (await m).close()));
  }

  private broker(url: string, timeoutMs: number): Broker {
    if (this.closed) throw new Error("the AMQP publishers are closed (the engine is stopping)");
    const existing = this.brokers.get(url);
    if (existing) return existing;
    const broker: Broker = { model: this.open(url, timeoutMs), channels: new Map() };
    this.brokers.set(url, broker);
    broker.model.then(
      (model) => {
        model.on("error", (error) =>
          this.logger.warn({ err: describeError(error) }, "AMQP publisher connection error"),
        );
        model.on("close", () => {
          if (this.brokers.get(url) === broker) this.brokers.delete(url);
        });
      },
      () => {
        // A failed connect is forgotten at once: the next attempt (after its backoff) connects anew.
        if (this.brokers.get(url) === broker) this.brokers.delete(url);
      },
    );
    return broker;
  }

  private async open(url: string, timeoutMs: number): Promise<ChannelModel> {
    const parsed = new URL(url);
    await assertBrokerHostAllowed(parsed.hostname, this.policy);
    const { connect } = await loadAmqplib();
    return connect(url, {
      // Names are checked again at connect time (no DNS rebinding between check and connect).
      // (Its options type is wider than net's; it accepts every shape net passes.)
      lookup: guardedLookup(this.policy) as unknown as LookupFunction,
      timeout: Math.min(CONNECT_TIMEOUT_MS, Math.max(1_000, timeoutMs)),
      clientProperties: { connection_name: "integration-builder delivery worker" },
    });
  }

  private channel(url: string, exchange: string, timeoutMs: number): Promise<ChannelState> {
    const broker = this.broker(url, timeoutMs);
    const existing = broker.channels.get(exchange);
    if (existing) return existing;
    const opening = broker.model.then(async (model) => {
      const channel = await model.createConfirmChannel();
      const state: ChannelState = { channel, returned: new Set() };
      channel.on("return", (msg) => {
        const id = msg.properties.messageId;
        if (typeof id === "string") state.returned.add(id);
      });
      channel.on("error", (error) => {
        state.closedWith = error;
      });
      channel.on("close", () => this.forgetChannel(url, exchange, state));
      return state;
    });
    broker.channels.set(exchange, opening);
    opening.catch(() => {
      if (broker.channels.get(exchange) === opening) broker.channels.delete(exchange);
    });
    return opening;
  }

  private forgetChannel(url: string, exchange: string, state: ChannelState) {
    const broker = this.brokers.get(url);
    const current = broker?.channels.get(exchange);
    if (!broker || !current) return;
    void current.then((s) => {
      if (s === state && broker.channels.get(exchange) === current) broker.channels.delete(exchange);
    });
  }
}

class TimeoutSignal extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutSignal("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
