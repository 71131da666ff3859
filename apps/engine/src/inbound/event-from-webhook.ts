import type { IncomingEvent } from "@ib/core/cloudevents";
import { matchesSourceEvent } from "@ib/core/event-match";
import { findUnstorableText } from "@ib/core/storable-text";
import type { InboundWebhook, Source } from "@ib/db";
import { type VerifierName, webhookIdentity } from "@ib/providers/verifiers";

export type Conversion =
  | { kind: "event"; event: IncomingEvent }
  | { kind: "ignored"; reason: string }
  /** It can never become an event (text PostgreSQL cannot store): FAILED at once, not retried. */
  | { kind: "refused"; reason: string };

/**
 * The internal event a verified webhook becomes: its name from the source's `eventMapping` (provider
 * event type → event name; exact, then trailing wildcard, then `*`), else `eventName`; its payload the
 * provider's JSON body as sent. The event id derives from the webhook id, so processing a webhook twice
 * (a worker died between ingest and bookkeeping) ingests one event.
 */
export function eventFromWebhook(
  source: Pick<Source, "id" | "verifier" | "config" | "eventName" | "eventMapping">,
  webhook: Pick<InboundWebhook, "id" | "headers" | "rawBody" | "receivedAt" | "providerEventId">,
): Conversion {
  const identity = webhookIdentity({
    verifier: source.verifier as VerifierName,
    config: source.config,
    headers: webhook.headers,
    rawBody: new TextEncoder().encode(webhook.rawBody),
  });
  const name = mappedName(source.eventMapping as Record<string, string> | null, identity.eventType) ?? source.eventName;
  if (!name) {
    return {
      kind: "ignored",
      reason: `Ignored: no eventMapping entry for provider event type ${JSON.stringify(identity.eventType)} and no eventName`,
    };
  }
  const payload = webhookPayload(webhook.rawBody);
  const refusal = unstorableBody(webhook.rawBody, payload);
  if (refusal) return { kind: "refused", reason: refusal };
  return {
    kind: "event",
    event: {
      id: `evt_${webhook.id.slice(webhook.id.indexOf("_") + 1)}`,
      name,
      source: `webhooks/${source.id}`,
      time: webhook.receivedAt.toISOString(),
      payload,
      attributes: {
        inboundwebhookid: webhook.id,
        sourceid: source.id,
        provider: source.verifier,
        ...(webhook.providerEventId ? { providereventid: webhook.providerEventId } : {}),
        ...(identity.eventType ? { providereventtype: identity.eventType } : {}),
      },
    },
  };
}

/** An event's payload from a webhook body: its JSON, or `{ raw }` (the text) for a body that is not JSON. */
export function webhookPayload(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return { raw: rawBody };
  }
}

/**
 * Why a webhook body cannot become an event (a NUL character or an unpaired surrogate, which PostgreSQL
 * cannot store), with the JSONPath in the body where it is; null when it can. Checked when the webhook is
 * received (a 400 for the provider) and again when it is converted. `payload` is `webhookPayload(rawBody)`.
 */
export function unstorableBody(rawBody: string, payload = webhookPayload(rawBody)): string | null {
  const notJson = payload !== null && typeof payload === "object" && (payload as { raw?: unknown }).raw === rawBody;
  // A body that is not JSON is one string: the place is the body itself, not `$.raw`.
  const problem = notJson ? findUnstorableText(rawBody)?.replace(/ at \$$/, "") : findUnstorableText(payload);
  return problem ? `The body contains ${problem}, which cannot be stored as an event` : null;
}

/** The event name `mapping` gives a provider (or broker) type: exact, longest trailing wildcard, then `*`. */
export function mappedName(mapping: Record<string, string> | null, type: string | null): string | null {
  if (!mapping || !type) return mapping?.["*"] ?? null;
  if (Object.hasOwn(mapping, type)) return mapping[type] ?? null;
  // The longest matching wildcard wins (`charge.dispute.*` over `charge.*`).
  const wildcard = Object.keys(mapping)
    .filter((k) => k !== "*" && k.endsWith("*") && matchesSourceEvent(k, type))
    .sort((a, b) => b.length - a.length)[0];
  if (wildcard) return mapping[wildcard] ?? null;
  return mapping["*"] ?? null;
}
