import type { BrokerDestination } from "@ib/core/contracts/broker";
import type { EventEnvelope } from "@ib/core/mapping";
import { type MessageSpec, type RenderedMessage, renderMessage } from "@ib/core/render-message";
import { MappingError } from "@ib/core/render-request";
import type { DestinationPolicy } from "@ib/core/ssrf";
import type { Logger } from "../../lib/logger.ts";
import { AmqpPublishers } from "./amqp.ts";
import { NatsPublishers } from "./nats.ts";
import type { PublishResult } from "./types.ts";

/**
 * The broker connections of one engine process, one pool per kind, keyed by broker URL. Owned by the app
 * context (`ctx.brokers`) and closed on shutdown; connections are opened on first use and re-opened after
 * the broker drops them. Consumers of broker sources keep connections of their own.
 */
export class BrokerConnections {
  readonly amqp: AmqpPublishers;
  readonly nats: NatsPublishers;

  constructor(
    readonly policy: DestinationPolicy,
    logger: Logger,
  ) {
    this.amqp = new AmqpPublishers(policy, logger);
    this.nats = new NatsPublishers(policy, logger);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.amqp.close(), this.nats.close()]);
  }
}

/**
 * A broker message as attempts store it and preview shows it: the HTTP request's fields (`method`
 * PUBLISH, `url` the broker with credentials masked, `headers`, `body`) plus where it goes.
 */
export interface ShownMessage {
  method: "PUBLISH";
  url: string;
  headers: Record<string, string>;
  body: string;
  transport: "amqp" | "nats";
  exchange?: string;
  routingKey?: string;
  subject?: string;
  properties?: Record<string, unknown>;
}

export interface PreparedMessage {
  message: RenderedMessage;
  shown: ShownMessage;
  warnings: string[];
  missingSecrets: string[];
}

export type BrokerSendResult =
  | { kind: "unprepared"; error: string; redacted: ShownMessage | null }
  | { kind: "sent"; redacted: ShownMessage; sent: PublishResult; warnings: string[]; derived: string[] };

const SUBJECT_TOKEN_RE = /^[^\s*>]+$/;

/**
 * Render the message a broker destination publishes for an event (mapping, templates, secrets) and check
 * its address. Throws {@link MappingError} (a missing secret, a bad routing key or subject, limits).
 */
export async function prepareBrokerMessage(input: {
  id: string;
  event: EventEnvelope;
  destination: BrokerDestination;
  mapping: unknown;
  secrets: Record<string, string>;
  missingSecret?: "error" | "warn";
}): Promise<PreparedMessage> {
  const { destination: d } = input;
  const spec: MessageSpec =
    d.type === "amqp"
      ? { url: d.url, address: { routingKey: d.routingKey }, headers: d.headers }
      : { url: d.servers, address: { subject: d.subject }, headers: d.headers };
  const rendered = await renderMessage({
    spec,
    mapping: input.mapping,
    event: input.event,
    secrets: input.secrets,
    missingSecret: input.missingSecret,
  });
  const { message, redacted } = rendered;
  let shown: ShownMessage;
  if (d.type === "amqp") {
    const routingKey = message.address.routingKey ?? "";
    if (Buffer.byteLength(routingKey) > 255) {
      throw new MappingError("INVALID_MAPPING", "The routing key renders longer than 255 bytes");
    }
    shown = {
      method: "PUBLISH",
      transport: "amqp",
      url: redacted.url,
      exchange: d.exchange,
      routingKey: redacted.address.routingKey ?? "",
      headers: redacted.headers,
      body: redacted.body,
      properties: { messageId: input.id, persistent: true, contentType: message.contentType },
    };
  } else {
    const subject = message.address.subject ?? "";
    if (!subject || subject.split(".").some((token) => !SUBJECT_TOKEN_RE.test(token))) {
      throw new MappingError(
        "INVALID_MAPPING",
        `The subject ${JSON.stringify(redacted.address.subject ?? "")} is not a publishable NATS subject (no spaces, empty tokens or wildcards)`,
      );
    }
    shown = {
      method: "PUBLISH",
      transport: "nats",
      url: redacted.url,
      subject: redacted.address.subject ?? "",
      headers: { ...redacted.headers, "Nats-Msg-Id": input.id, "Content-Type": message.contentType },
      body: redacted.body,
    };
  }
  return { message, shown, warnings: rendered.warnings, missingSecrets: rendered.missingSecrets };
}

/**
 * One publish of one delivery to its broker, recorded nowhere: the broker twin of the HTTP send. Never
 * throws for a problem of the connector or the broker: those are the result.
 */
export async function sendToBroker(input: {
  id: string;
  event: EventEnvelope;
  destination: BrokerDestination;
  mapping: unknown;
  timeoutMs: number;
  secrets: Record<string, string> | Error;
  brokers: BrokerConnections;
}): Promise<BrokerSendResult> {
  if (input.secrets instanceof Error) return { kind: "unprepared", error: input.secrets.message, redacted: null };
  let prepared: PreparedMessage;
  try {
    prepared = await prepareBrokerMessage({ ...input, secrets: input.secrets });
  } catch (error) {
    const why =
      error instanceof MappingError
        ? `Mapping error (${error.code}): ${error.message}`
        : `Mapping error: ${(error as Error).message}`;
    return { kind: "unprepared", error: why, redacted: null };
  }
  const { message, shown } = prepared;
  const outbound = {
    body: Buffer.from(message.body),
    headers: message.headers,
    messageId: input.id,
    contentType: message.contentType,
  };
  const d = input.destination;
  const sent =
    d.type === "amqp"
      ? await input.brokers.amqp.publish(
          message.url,
          { exchange: d.exchange, routingKey: message.address.routingKey ?? "" },
          outbound,
          input.timeoutMs,
        )
      : await input.brokers.nats.publish(message.url, message.address.subject ?? "", outbound, input.timeoutMs);
  return { kind: "sent", redacted: shown, sent, warnings: prepared.warnings, derived: [] };
}
