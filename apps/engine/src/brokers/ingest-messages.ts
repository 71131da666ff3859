import { newId } from "@ib/core/ids";
import { storableText } from "@ib/core/storable-text";
import { inboundWebhooks } from "@ib/db";
import { type AppContext, systemContext } from "../context.ts";
import { describeIngestError } from "../inbound/describe-error.ts";
import { DomainError, SchemaValidationFailed, Unavailable } from "../lib/domain-errors.ts";
import { checkEventSchemas, describeSchemaRefusal } from "../verbs/catalog/check-event-schema.ts";
import { decodeAvroPayload } from "../verbs/catalog/decode-avro.ts";
import { type IngestItem, ingestEvents } from "../verbs/events/ingest-events.ts";
import { REJECTED_BODY_CHARS } from "../verbs/sources/receive-webhook.ts";
import {
  type BrokerMessage,
  eventFromMessage,
  isAvroMessage,
  type MessageSource,
  messageEventName,
} from "./message-event.ts";

/** What a consumer does with a message once the batch is through. */
export type MessageOutcome =
  /** The event and its deliveries are committed (or were already): ack it. */
  | { kind: "ack"; eventId: string; duplicate: boolean }
  /** It can never become an event; it is recorded as refused: reject / terminate it. */
  | { kind: "refuse"; reason: string }
  /** Nothing was committed (the database is unavailable): keep it and try again later. */
  | { kind: "retry"; error: string };

/**
 * Turn a batch of broker messages into events through the same path as `POST /v1/events/batch`: the event
 * catalog's check, then `ingestEvents` (filters, fan-out, reconciliation, one transaction). Messages that
 * cannot become an event are stored as refused inbound messages of the source (inbound_webhooks, status
 * REJECTED) before the answer says to reject them, so the admin shows each one with its reason. A batch
 * whose transaction fails is split, so one bad message cannot hold up the others.
 */
export async function ingestMessages(
  app: AppContext,
  source: MessageSource,
  messages: BrokerMessage[],
): Promise<MessageOutcome[]> {
  const outcomes: (MessageOutcome | undefined)[] = messages.map(() => undefined);
  const items: IngestItem[] = [];
  const itemIndex: number[] = [];
  for (const [i, message] of messages.entries()) {
    if (message.body.length > app.env.IB_MAX_EVENT_BYTES) {
      outcomes[i] = { kind: "refuse", reason: `The message is larger than ${app.env.IB_MAX_EVENT_BYTES} bytes` };
      continue;
    }
    const decoded = isAvroMessage(message) ? await decodeAvro(app, source, message) : undefined;
    if (decoded && "refuse" in decoded) {
      outcomes[i] = decoded.refuse;
      continue;
    }
    const conversion = eventFromMessage(source, message, decoded);
    if (conversion.kind === "refused") outcomes[i] = { kind: "refuse", reason: conversion.reason };
    else {
      items.push({ event: conversion.event });
      itemIndex.push(i);
    }
  }
  try {
    const checks = await checkEventSchemas({
      ctx: systemContext(app),
      input: { events: items.map((item) => item.event) },
    });
    const kept: { item: IngestItem; index: number }[] = [];
    for (const [k, check] of checks.entries()) {
      const index = itemIndex[k] as number;
      if (check instanceof SchemaValidationFailed)
        outcomes[index] = { kind: "refuse", reason: describeSchemaRefusal(check) };
      else kept.push({ item: { ...(items[k] as IngestItem), schemaValid: check.schemaValid }, index });
    }
    await ingestKept(app, kept, outcomes);
  } catch (error) {
    // The catalog could not be read: nothing was committed, the whole batch waits.
    for (const i of itemIndex) outcomes[i] ??= { kind: "retry", error: describe(error) };
  }
  const refused = messages.flatMap((message, i) => {
    const outcome = outcomes[i];
    return outcome?.kind === "refuse" ? [{ message, reason: outcome.reason }] : [];
  });
  if (refused.length > 0) {
    try {
      await recordRefused(app, source.id, refused);
    } catch (error) {
      // Not recorded, so not rejected either: the broker redelivers them and the next try records them.
      for (const [i, outcome] of outcomes.entries())
        if (outcome?.kind === "refuse") outcomes[i] = { kind: "retry", error: `recording refusal: ${describe(error)}` };
    }
  }
  return outcomes.map((o) => o ?? { kind: "retry", error: "not processed" });
}

/**
 * An `application/avro` body decoded with the catalog's Avro schema of the message's event name. A body that
 * is not a datum of that schema (or a name with no Avro schema) is refused; a catalog that cannot be read
 * leaves the message for a later try.
 */
async function decodeAvro(
  app: AppContext,
  source: MessageSource,
  message: BrokerMessage,
): Promise<{ payload: unknown } | { refuse: MessageOutcome } | undefined> {
  const named = messageEventName(source, message);
  if ("reason" in named) return undefined; // eventFromMessage refuses it with this reason
  try {
    return {
      payload: await decodeAvroPayload({ ctx: systemContext(app), input: { name: named.name, body: message.body } }),
    };
  } catch (error) {
    return {
      refuse: isRefusal(error)
        ? { kind: "refuse", reason: describe(error) }
        : { kind: "retry", error: describe(error) },
    };
  }
}

async function ingestKept(
  app: AppContext,
  kept: { item: IngestItem; index: number }[],
  outcomes: (MessageOutcome | undefined)[],
) {
  if (kept.length === 0) return;
  try {
    const results = await ingestEvents({ ctx: systemContext(app), input: { items: kept.map((k) => k.item) } });
    for (const [k, result] of results.entries()) {
      outcomes[(kept[k] as { index: number }).index] = { kind: "ack", eventId: result.id, duplicate: result.duplicate };
    }
    return;
  } catch (error) {
    if (kept.length === 1) {
      const only = kept[0] as { index: number };
      outcomes[only.index] = isRefusal(error)
        ? { kind: "refuse", reason: describe(error) }
        : { kind: "retry", error: describe(error) };
      return;
    }
  }
  // One transaction failed: each message on its own, so a refusal stays with its message.
  for (const k of kept) await ingestKept(app, [k], outcomes);
}

/**
 * A "no" about this event rather than about the database: a verb's refusal, or PostgreSQL refusing the data
 * itself (SQLSTATE class 22, e.g. a `\u0000` in a JSON string). Such a message will never be accepted.
 */
function isRefusal(error: unknown): boolean {
  if (error instanceof DomainError) return !(error instanceof Unavailable);
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === "string" && code.startsWith("22");
}

const describe = describeIngestError;

/** Refused messages as the source's inbound messages (status REJECTED), so the admin lists them. */
async function recordRefused(app: AppContext, sourceId: string, refused: { message: BrokerMessage; reason: string }[]) {
  await app.db.insert(inboundWebhooks).values(
    refused.map(({ message, reason }) => {
      const body = message.body.toString("utf8");
      const providerEventId =
        message.messageId ?? (message.seq !== undefined ? `${message.stream}:${message.seq}` : null);
      const headers: Record<string, string> = {
        ...message.headers,
        [message.kind === "amqp" ? "x-amqp-routing-key" : "x-nats-subject"]: message.address,
      };
      // Evidence of what was sent, in text PostgreSQL can store: a message refused for a NUL byte is recorded
      // (a NUL shows as ␀) instead of failing the insert and coming back forever.
      return {
        id: newId("webhook"),
        sourceId,
        providerEventId: providerEventId === null ? null : storableText(providerEventId),
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [storableText(k), storableText(v)])),
        rawBody: storableText(
          body.length > REJECTED_BODY_CHARS ? `${body.slice(0, REJECTED_BODY_CHARS)}…[truncated]` : body,
        ),
        verified: false,
        verificationError: storableText(reason),
        status: "REJECTED" as const,
      };
    }),
  );
}
