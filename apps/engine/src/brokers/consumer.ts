import type { ConsumerState } from "@ib/core/contracts/broker";
import type { Logger } from "../lib/logger.ts";
import type { MessageOutcome } from "./ingest-messages.ts";
import type { BrokerMessage } from "./message-event.ts";

/** A message in the consumer's hands, with the broker operations that settle it. */
export interface Delivered {
  message: BrokerMessage;
  ack(): void;
  /** Reject to the dead-letter exchange (AMQP) / terminate (NATS): it will never become an event. */
  refuse(reason: string): void;
  /** The broker should offer it again later (NATS `nak` with a delay); absent: the consumer holds it. */
  later?(delayMs: number): void;
}

/** One connection's worth of consuming: ends when the broker or the network drops it. */
export interface ConsumerSession {
  /** Settles when the session is over, with why (null: closed by us). */
  ended: Promise<Error | null>;
  /** Messages waiting for this consumer, as the broker says. */
  pending(): Promise<number | null>;
  /** Take no new messages (settling those in hand still works). */
  pause(): Promise<void>;
  /** Close the connection; messages not acked go back to the queue / stream. */
  close(): Promise<void>;
}

export interface ConsumerDriver {
  open(handlers: {
    deliver(delivered: Delivered): void;
    /** The connection is down and the client is reconnecting by itself (NATS), or is back. */
    connection(up: boolean, error?: Error): void;
    /** How many messages are in hand (the driver stops reading past its prefetch). */
    inHand(): number;
    /** Resolves when there is room in hand again. */
    room(): Promise<void>;
  }): Promise<ConsumerSession>;
}

export interface ConsumerStatus {
  state: ConsumerState;
  error: string | null;
  pending: number | null;
  lastMessageAt: Date | null;
}

/** A broker refusal that no reconnect fixes by itself (missing queue or stream, SSRF, credentials). */
export class ConsumerConfigError extends Error {}

const PENDING_EVERY_MS = 5_000;
const BACKOFF = { baseMs: 500, maxMs: 30_000 };

/**
 * The life of one broker source's consumer (DESIGN §13): connect, take messages in batches of up to
 * `batchSize`, hand each batch to `handle` (which commits events and deliveries), then ack, refuse or
 * keep each message as `handle` says, never before the commit. A dropped connection (broker restart,
 * outage) is retried with exponential backoff; messages in hand are dropped then (the broker offers them
 * again, and their ids make the second ingest a no-op). `stop` pauses consumption, lets the batch in
 * flight finish within the grace period and closes, so nothing is acked that was not committed.
 */
export class BrokerConsumer {
  readonly status: ConsumerStatus = { state: "starting", error: null, pending: null, lastMessageAt: null };
  private session: ConsumerSession | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private inHand: Delivered[] = [];
  private pumping: Promise<void> | undefined;
  private wakeSleep: (() => void) | undefined;
  private roomWaiters: (() => void)[] = [];
  private pendingTimer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(
    private readonly driver: ConsumerDriver,
    private readonly handle: (messages: BrokerMessage[]) => Promise<MessageOutcome[]>,
    private readonly options: { batchSize: number; log: Logger; onChange(status: ConsumerStatus): void },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    clearInterval(this.pendingTimer);
    const session = this.session;
    await session?.pause().catch(() => {});
    if (this.pumping) await Promise.race([this.pumping, sleep(graceMs)]);
    await session?.close().catch(() => {});
    await this.loop;
    this.set({ state: "stopped", error: null });
  }

  private async run() {
    for (let attempt = 0; !this.stopping; attempt++) {
      const generation = ++this.generation;
      let failure: Error | null = null;
      try {
        const session = await this.driver.open({
          deliver: (d) => this.deliver(generation, d),
          connection: (up, error) =>
            this.set(up ? { state: "consuming", error: null } : { state: "reconnecting", error: describe(error) }),
          inHand: () => this.inHand.length,
          room: () => new Promise((resolve) => this.roomWaiters.push(resolve)),
        });
        this.session = session;
        if (this.stopping) {
          await session.close().catch(() => {});
          break;
        }
        attempt = 0;
        this.set({ state: "consuming", error: null });
        this.watchPending(session);
        failure = await session.ended;
      } catch (error) {
        failure = error as Error;
      }
      clearInterval(this.pendingTimer);
      this.session = undefined;
      // What was in hand goes back to the broker with the connection; a batch in flight finishes first.
      if (this.pumping) await this.pumping;
      this.inHand = [];
      this.releaseRoom();
      if (this.stopping) break;
      const config = failure instanceof ConsumerConfigError;
      this.set({ state: config ? "error" : "reconnecting", error: describe(failure) });
      this.options.log.warn({ err: describe(failure), attempt }, "broker source: consumer down; reconnecting");
      await this.sleep(backoffMs(attempt));
    }
  }

  private deliver(generation: number, delivered: Delivered) {
    if (generation !== this.generation || this.stopping) return;
    this.inHand.push(delivered);
    this.pumping ??= this.pump(generation).finally(() => {
      this.pumping = undefined;
    });
  }

  private async pump(generation: number) {
    let retries = 0;
    while (this.inHand.length > 0 && generation === this.generation) {
      const batch = this.inHand.splice(0, this.options.batchSize);
      let outcomes: MessageOutcome[];
      try {
        outcomes = await this.handle(batch.map((d) => d.message));
      } catch (error) {
        outcomes = batch.map(() => ({ kind: "retry", error: describe(error) ?? "failed" }));
      }
      const kept: Delivered[] = [];
      let retryError: string | null = null;
      for (const [i, d] of batch.entries()) {
        const outcome = outcomes[i] ?? { kind: "retry", error: "no outcome" };
        try {
          if (outcome.kind === "ack") d.ack();
          else if (outcome.kind === "refuse") d.refuse(outcome.reason);
          else {
            retryError = outcome.error;
            if (d.later) d.later(backoffMs(retries));
            else kept.push(d);
          }
        } catch (error) {
          // The channel closed under us: the broker offers the message again on the next connection.
          this.options.log.debug({ err: describe(error) }, "broker source: could not settle a message");
        }
      }
      this.status.lastMessageAt = new Date();
      this.releaseRoom();
      if (retryError !== null) {
        this.inHand.unshift(...kept);
        this.set({ state: "error", error: `Messages wait: ${retryError}` });
        this.options.log.warn({ err: retryError }, "broker source: could not ingest messages; retrying");
        if (this.stopping) return;
        await this.sleep(backoffMs(retries++));
      } else {
        retries = 0;
        if (this.status.state === "error") this.set({ state: "consuming", error: null });
        else this.options.onChange(this.status);
      }
    }
  }

  private watchPending(session: ConsumerSession) {
    const poll = () =>
      session
        .pending()
        .then((pending) => {
          if (pending !== this.status.pending) {
            this.status.pending = pending;
            this.options.onChange(this.status);
          }
        })
        .catch(() => {});
    void poll();
    this.pendingTimer = setInterval(poll, PENDING_EVERY_MS);
    this.pendingTimer.unref();
  }

  private set(patch: Pick<ConsumerStatus, "state" | "error">) {
    if (patch.state === this.status.state && patch.error === this.status.error) return;
    Object.assign(this.status, patch);
    this.options.onChange(this.status);
  }

  private releaseRoom() {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }
}

function backoffMs(attempt: number): number {
  const base = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function describe(error: unknown): string | null {
  if (!error) return null;
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").slice(0, 500);
}
