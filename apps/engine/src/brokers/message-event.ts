import { createHash } from "node:crypto";
import type { IncomingEvent } from "@ib/core/cloudevents";
import type { BrokerKind } from "@ib/core/contracts/broker";
import { isValidEventName } from "@ib/core/event-match";
import { findUnstorableText } from "@ib/core/storable-text";
import { mappedName } from "../inbound/event-from-webhook.ts";

/** One message as a consumer took it off a queue or stream, before it is an event. */
export interface BrokerMessage {
  kind: BrokerKind;
  body: Buffer;
  /** Header values as text (AMQP tables and NATS headers alike). */
  headers: Record<string, string>;
  /** The routing key (AMQP) or the subject (NATS). */
  address: string;
  /** AMQP `messageId`, NATS `Nats-Msg-Id`; null when the publisher set none. */
  messageId: string | null;
  /** NATS: where the message sits in its stream (the id of last resort). */
  stream?: string;
  seq?: number;
  /** When the broker (NATS) or the publisher (AMQP `timestamp`) says it was sent. */
  timestamp: Date | null;
  /** AMQP `contentType`, NATS `Content-Type` header; `application/avro` bodies are decoded with the catalog. */
  contentType?: string | null;
}

export interface MessageSource {
  id: string;
  eventName: string | null;
  eventMapping: Record<string, string> | null;
  /** Match eventMapping against this header instead of the routing key / subject. */
  typeHeader?: string;
}

export type MessageConversion = { kind: "event"; event: IncomingEvent } | { kind: "refused"; reason: string };

const MAX_ID_LENGTH = 200;
const MAX_HEADER_ATTRIBUTES = 50;

/**
 * The event a broker message becomes (DESIGN §13). Its name comes from the source's `eventMapping`
 * (keyed by routing key / subject, or by `typeHeader`'s value; exact, longest trailing wildcard, `*`), else
 * `eventName`; its payload is the JSON body. Its id is the message id, so a redelivered message is the
 * same event and creates nothing new: the publisher's `messageId` / `Nats-Msg-Id`, else (AMQP) a hash
 * of the body, else (NATS) the stream sequence. The routing key or subject and the headers travel in the
 * event's attributes. A message without JSON or without a name, or holding text PostgreSQL cannot store (a
 * NUL character, an unpaired surrogate), is refused, with the reason.
 */
export function eventFromMessage(
  source: MessageSource,
  message: BrokerMessage,
  decoded?: { payload: unknown },
): MessageConversion {
  const named = messageEventName(source, message);
  if ("reason" in named) return { kind: "refused", reason: named.reason };
  const { name } = named;
  let payload: unknown;
  if (decoded) payload = decoded.payload;
  else {
    try {
      payload = JSON.parse(message.body.toString("utf8"));
    } catch {
      // Not the parser's message: it quotes the body, and the reason is shown to roles that may not read payloads.
      return { kind: "refused", reason: `The body is not JSON (${message.body.length} bytes)` };
    }
  }
  const attributes: Record<string, unknown> = { sourceid: source.id, broker: message.kind };
  attributes[message.kind === "amqp" ? "routingkey" : "subject"] = message.address;
  if (message.messageId) attributes.messageid = message.messageId;
  if (message.seq !== undefined) attributes.streamsequence = message.seq;
  const headers = Object.entries(message.headers).slice(0, MAX_HEADER_ATTRIBUTES);
  if (headers.length > 0) attributes.headers = Object.fromEntries(headers);
  const event: IncomingEvent = {
    id: messageEventId(source.id, message),
    name,
    source: `${message.kind}/${source.id}`,
    time: (message.timestamp ?? new Date()).toISOString(),
    payload,
    attributes,
  };
  // The body, a header or the message id: wherever it is, PostgreSQL could not store the event.
  const problem = findUnstorableText(event);
  if (problem)
    return { kind: "refused", reason: `The message contains ${problem}, which cannot be stored as an event` };
  return { kind: "event", event };
}

/** The event name a message maps to (eventMapping, else eventName), or why it has none. */
export function messageEventName(source: MessageSource, message: BrokerMessage): { name: string } | { reason: string } {
  const type = source.typeHeader ? (message.headers[source.typeHeader] ?? null) : message.address;
  const name = mappedName(source.eventMapping, type) ?? source.eventName;
  if (!name) {
    return {
      reason: `No event name: no eventMapping entry for ${source.typeHeader ? `header ${source.typeHeader} = ` : ""}${JSON.stringify(type)} and no eventName`,
    };
  }
  if (!isValidEventName(name)) return { reason: `${JSON.stringify(name)} is not a valid event name` };
  return { name };
}

/** An `application/avro` body (parameters such as `; version=…` allowed). */
export function isAvroMessage(message: BrokerMessage): boolean {
  const type = (message.contentType ?? "").split(";")[0]?.trim().toLowerCase();
  return type === "application/avro";
}

/** The event id of a message; the same message delivered again gets the same id. */
export function messageEventId(sourceId: string, message: BrokerMessage): string {
  const id = message.messageId?.trim();
  if (id) return id.length <= MAX_ID_LENGTH ? id : `${sourceId}:sha256:${sha256(id)}`;
  if (message.kind === "nats" && message.seq !== undefined) return `${sourceId}:${message.stream}:${message.seq}`;
  return `${sourceId}:sha256:${sha256(message.body)}`;
}

function sha256(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}
