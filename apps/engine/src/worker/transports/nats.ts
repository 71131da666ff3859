import { splitNatsServers } from "@ib/core/contracts/broker";
import type { DestinationPolicy } from "@ib/core/ssrf";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "../../lib/logger.ts";
import { assertBrokerHostAllowed, refusalIn } from "./broker-guard.ts";
import { describeError, type OutboundMessage, type PublishResult, stopwatch } from "./types.ts";

const CONNECT_TIMEOUT_MS = 10_000;

// The NATS client is loaded with the first NATS destination or source: an engine that never uses NATS does
// not keep it in memory.
export interface NatsLib {
  transport: typeof import("@nats-io/transport-node");
  jetstream: typeof import("@nats-io/jetstream");
}
let natsLib: Promise<NatsLib> | undefined;
export const loadNats = () => {
  natsLib ??= Promise.all([import("@nats-io/transport-node"), import("@nats-io/jetstream")]).then(
    ([transport, jetstream]) => ({ transport, jetstream }),
  );
  return natsLib;
};

interface Connected {
  nc: NatsConnection;
  js: JetStreamClient;
  lib: NatsLib;
}

interface Server {
  conn: Promise<Connected>;
}

/**
 * The connection options for a rendered server list: credentials out of the URLs (`user:pass@` or a
 * `token@`), cluster gossip ignored (only the checked servers are ever dialled), reconnecting for ever.
 */
export async function natsOptions(servers: string, policy: DestinationPolicy, name: string) {
  const urls = splitNatsServers(servers).map((s) => new URL(s));
  if (urls.length === 0) throw new Error("no NATS server given");
  for (const url of urls) await assertBrokerHostAllowed(url.hostname, policy);
  const first = urls[0] as URL;
  const user = decodeURIComponent(first.username);
  const pass = decodeURIComponent(first.password);
  return {
    servers: urls.map((u) => `${u.protocol}//${u.host}`),
    ...(user && pass ? { user, pass } : user ? { token: user } : {}),
    ...(urls.some((u) => u.protocol === "tls:") ? { tls: {} } : {}),
    name,
    ignoreClusterUpdates: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    timeout: CONNECT_TIMEOUT_MS,
  };
}

/**
 * NATS JetStream publishing for NATS destinations (DESIGN §13): one connection per server list, opened on
 * first use and reconnecting by itself. `Nats-Msg-Id` is the delivery id, so the stream drops a retry it
 * already has (within its duplicate window); success is the stream's ack, and "no stream for the subject"
 * (no responders) is a permanent failure. Owned by the app context, closed on shutdown.
 */
export class NatsPublishers {
  private readonly servers = new Map<string, Server>();
  private closed = false;

  constructor(
    private readonly policy: DestinationPolicy,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.servers.size;
  }

  async publish(servers: string, subject: string, message: OutboundMessage, timeoutMs: number): Promise<PublishResult> {
    const elapsed = stopwatch();
    let js: JetStreamClient;
    let lib: NatsLib;
    try {
      ({ js, lib } = await this.connection(servers));
    } catch (error) {
      const refused = refusalIn(error);
      if (refused) return { kind: "refused", error: refused.message, durationMs: elapsed() };
      return { kind: "network", error: describeError(error), durationMs: elapsed() };
    }
    const { NoRespondersError, TimeoutError } = lib.transport;
    const headers = lib.transport.headers();
    for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
    headers.set("Content-Type", message.contentType);
    try {
      const ack = await js.publish(subject, message.body, {
        msgID: message.messageId,
        headers,
        timeout: Math.max(100, timeoutMs - elapsed()),
      });
      return {
        kind: "published",
        durationMs: elapsed(),
        details: { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate },
      };
    } catch (error) {
      // A publish nobody answers: no stream captures the subject (the client calls it JetStreamNotEnabled).
      if (
        (error as Error).name === "JetStreamNotEnabled" ||
        error instanceof NoRespondersError ||
        hasCause(error, NoRespondersError)
      ) {
        return {
          kind: "rejected",
          error: `no JetStream stream captures subject "${subject}" (no responders)`,
          durationMs: elapsed(),
        };
      }
      if (error instanceof TimeoutError || hasCause(error, TimeoutError))
        return { kind: "timeout", durationMs: elapsed() };
      return { kind: "network", error: describeError(error), durationMs: elapsed() };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const conns = [...this.servers.values()].map((s) => s.conn);
    this.servers.clear();
    await Promise.allSettled(conns.map(async (c) => (await c).nc.close()));
  }

  private connection(servers: string): Promise<Connected> {
    if (this.closed) throw new Error("the NATS publishers are closed (the engine is stopping)");
    const existing = this.servers.get(servers);
    if (existing) return existing.conn;
    const entry: Server = {
      conn: (async () => {
        const options = await natsOptions(servers, this.policy, "integration-builder delivery worker");
        const lib = await loadNats();
        const nc = await lib.transport.connect(options);
        void nc.closed().then((error) => {
          if (this.servers.get(servers) === entry) this.servers.delete(servers);
          if (error) this.logger.warn({ err: describeError(error) }, "NATS publisher connection closed");
        });
        return { nc, js: lib.jetstream.jetstream(nc), lib };
      })(),
    };
    this.servers.set(servers, entry);
    entry.conn.catch(() => {
      if (this.servers.get(servers) === entry) this.servers.delete(servers);
    });
    return entry.conn;
  }
}

function hasCause(error: unknown, type: new (...args: never[]) => Error): boolean {
  let e = (error as { cause?: unknown })?.cause;
  for (let i = 0; i < 4 && e; i++) {
    if (e instanceof type) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
