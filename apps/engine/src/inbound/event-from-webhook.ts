import type { IncomingEvent } from "@ib/core/cloudevents";
import { matchesSourceEvent } from "@ib/core/event-match";
import type { InboundWebhook, Source } from "@ib/db";
import { type VerifierName, webhookIdentity } from "@ib/providers/verifiers";

export type Conversion = { kind: "event"; event: IncomingEvent } | { kind: "ignored"; reason: string };

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
  let payload: unknown;
  try {
    payload = JSON.parse(webhook.rawBody);
  } catch {
    payload = { raw: webhook.rawBody };
  }
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
