import { type BrokerDestination, isBrokerDestination } from "@ib/core/contracts/broker";
import type { RequestPlan } from "@ib/core/expressions";
import {
  type DestinationSpec,
  type EventEnvelope,
  MappingError,
  type RenderedRequest,
  redactSecretValues,
  renderRequest,
  SECRET_MASK,
} from "@ib/core/render-request";
import { SIGNING_SECRET_NAME, SigningSecretError, standardWebhookHeaders } from "@ib/core/signing";
import { applyRequestAuth, RequestAuthError } from "@ib/providers/request-auth";
import { type DeliveryHttpClient, MAX_STORED_BODY_BYTES, type SendResult } from "./http-client.ts";
import { type BrokerConnections, sendToBroker } from "./transports/broker.ts";
import type { PublishResult } from "./transports/types.ts";

export const USER_AGENT = "IntegrationBuilder/1.0 (+https://github.com/integration-builder; delivery worker)";

/** What of a connector one send needs (a saved row, a cached one, or a draft for preview). */
export interface SendableConnector {
  /** HTTP (DESIGN §7), or a message broker (§13): `sendOnce` dispatches on `type` to its transport. */
  destination: DestinationSpec | BrokerDestination;
  mapping?: unknown;
  auth?: unknown;
  timeoutMs: number;
}

/** A request as sent (`request`, with secrets) and as shown or stored (`redacted`). */
export interface RequestPair {
  request: RenderedRequest;
  redacted: RenderedRequest;
}

export type SendOnceResult =
  /** Nothing was sent: the request could not be built (mapping, secret, signing or auth error). */
  | { kind: "unprepared"; error: string; redacted: RenderedRequest | null }
  | {
      kind: "sent";
      /** A broker message shows as method PUBLISH, the broker URL, and where it went (exchange, subject). */
      redacted: RenderedRequest;
      /** The HTTP answer, or the broker's (`published` on its confirm / ack, `rejected` for good). */
      sent: SendResult | PublishResult;
      warnings: string[];
      /** Values expressions computed from secrets: scrub them from the answer too (`secretScrubber`). */
      derived: string[];
    };

/**
 * One request exactly as the worker sends it, recorded nowhere: render the mapping with the secrets, add
 * the delivery headers and the Standard Webhooks signature, apply the connector's auth, send it through
 * `client` (SSRF guard at connect, timeout, capped body). The worker's attempts and the editor's test send
 * both come through here, so a test send is a real delivery minus the queue and the bookkeeping.
 * Never throws for a problem of the connector or the destination: those are the result.
 */
export async function sendOnce(input: {
  /** The delivery id (`Idempotency-Key`, `webhook-id`); a test send passes its own. */
  id: string;
  event: EventEnvelope;
  connector: SendableConnector;
  /** Decrypted secrets, or the error that stopped them from loading. */
  secrets: Record<string, string> | Error;
  client: DeliveryHttpClient;
  /** The process's broker connections (`ctx.brokers`), for AMQP and NATS destinations. */
  brokers: BrokerConnections;
  /** The connector's compiled expressions (cached per connector version); compiled here when absent. */
  plan?: RequestPlan;
  /** Keep this much of the answer beyond the stored copy (see `DeliveryHttpClient.send`). */
  captureBytes?: number;
}): Promise<SendOnceResult> {
  const { destination } = input.connector;
  if (isBrokerDestination(destination)) {
    const { mapping, timeoutMs } = input.connector;
    return sendToBroker({ ...input, destination, mapping, timeoutMs });
  }
  const prepared = await prepareRequest({ ...input, connector: { ...input.connector, destination } });
  if ("error" in prepared) return { kind: "unprepared", error: prepared.error, redacted: prepared.redacted ?? null };
  const sent = await input.client.send(prepared.request, input.connector.timeoutMs, {
    captureBytes: input.captureBytes,
  });
  return { kind: "sent", redacted: prepared.redacted, sent, warnings: prepared.warnings, derived: prepared.derived };
}

type Prepared =
  | (RequestPair & { warnings: string[]; derived: string[] })
  | { error: string; redacted?: RenderedRequest };

async function prepareRequest(input: {
  id: string;
  event: EventEnvelope;
  connector: SendableConnector & { destination: DestinationSpec };
  secrets: Record<string, string> | Error;
  plan?: RequestPlan;
}): Promise<Prepared> {
  const { connector, secrets, event } = input;
  if (secrets instanceof Error) return { error: secrets.message };
  let rendered: Awaited<ReturnType<typeof renderRequest>>;
  try {
    rendered = await renderRequest({
      destination: connector.destination,
      mapping: connector.mapping,
      event,
      secrets,
      plan: input.plan,
    });
  } catch (error) {
    if (error instanceof MappingError) return { error: `Mapping error (${error.code}): ${error.message}` };
    return { error: `Mapping error: ${(error as Error).message}` };
  }
  let pair: RequestPair;
  try {
    pair = withDeliveryHeaders({ id: input.id, pair: rendered, secrets });
  } catch (error) {
    if (error instanceof SigningSecretError)
      return { error: `Signing failed: ${error.message}`, redacted: rendered.redacted };
    throw error;
  }
  try {
    return {
      ...withAuth({ pair, auth: connector.auth, secrets }),
      warnings: rendered.warnings,
      derived: rendered.derived,
    };
  } catch (error) {
    if (error instanceof RequestAuthError) return { error: `Auth error: ${error.message}`, redacted: pair.redacted };
    throw error;
  }
}

/**
 * The headers the worker adds to every request — `Idempotency-Key` and `webhook-id` (the delivery id,
 * stable across retries), `User-Agent`, and with a `signingSecret` the Standard Webhooks
 * `webhook-timestamp` / `webhook-signature` over the final body — winning over same-named template
 * headers, since receivers rely on them to de-duplicate. Preview adds them with this same function.
 * Throws {@link SigningSecretError} for a malformed signing secret.
 */
export function withDeliveryHeaders(input: {
  id: string;
  pair: RequestPair;
  secrets: Record<string, string>;
  /** Seconds; defaults to now. */
  timestamp?: number;
}): RequestPair {
  const { id, pair, secrets } = input;
  const ours: Record<string, string> = { "Idempotency-Key": id, "webhook-id": id, "User-Agent": USER_AGENT };
  const signingSecret = secrets[SIGNING_SECRET_NAME];
  if (signingSecret) {
    const signed = standardWebhookHeaders({
      secret: signingSecret,
      id,
      body: pair.request.body ?? "",
      timestamp: input.timestamp,
    });
    ours["webhook-timestamp"] = signed["webhook-timestamp"];
    ours["webhook-signature"] = signed["webhook-signature"];
  }
  return {
    request: { ...pair.request, headers: withHeaders(pair.request.headers, ours) },
    redacted: { ...pair.redacted, headers: withHeaders(pair.redacted.headers, ours) },
  };
}

/**
 * The connector's `auth` (Basic, AWS SigV4) applied last, since a signature covers the other headers; the
 * redacted copy gets the masked credentials. Throws {@link RequestAuthError} (e.g. a secret it needs is not set).
 */
export function withAuth(input: { pair: RequestPair; auth: unknown; secrets: Record<string, string> }): RequestPair {
  const { pair } = input;
  const authed = applyRequestAuth(pair.request, input.auth, input.secrets);
  return {
    request: { ...pair.request, headers: authed.headers },
    redacted: {
      ...pair.redacted,
      headers: withHeaders(pair.redacted.headers, changed(pair.request.headers, authed.redactedHeaders)),
    },
  };
}

/**
 * `webhook-signature` shown as `v1,••••••`: it is computed from a secret, and what is shown never carries a
 * value derived from one (the receiver sees the real signature).
 */
export function maskSignature(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  for (const name of Object.keys(out)) {
    if (name.toLowerCase() !== "webhook-signature") continue;
    out[name] = (out[name] ?? "")
      .split(" ")
      .map((sig) => `${sig.includes(",") ? sig.slice(0, sig.indexOf(",") + 1) : ""}${SECRET_MASK}`)
      .join(" ");
  }
  return out;
}

/**
 * Removes every secret value of the connector from text we store or show (a destination may echo them),
 * and the values its expressions computed from them (`derived`, from the send's result).
 */
export function secretScrubber(
  secrets: Record<string, string> | Error,
  derived: string[] = [],
): (text: string) => string {
  return (text) => (secrets instanceof Error ? text : redactSecretValues(text, secrets, derived));
}

/** A destination's answer as stored or shown: secret values scrubbed from its headers and body. */
export function shownResponse(sent: Extract<SendResult, { kind: "response" }>, scrub: (text: string) => string) {
  return {
    status: sent.status,
    headers: Object.fromEntries(Object.entries(sent.headers).map(([k, v]) => [k, scrub(String(v))])),
    body: scrub(sent.body),
    bodyTruncated: sent.bodyTruncated,
  };
}

/** A request as stored or shown: its body capped at {@link MAX_STORED_BODY_BYTES}. */
export function shownRequest(r: RenderedRequest): {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  bodyTruncated?: true;
} {
  const body = r.body ?? null;
  const truncated = body !== null && Buffer.byteLength(body) > MAX_STORED_BODY_BYTES;
  // A broker message carries where it went (transport, exchange and routing key, or subject) besides these.
  const { method: _m, url: _u, headers: _h, body: _b, ...where } = r as RenderedRequest & Record<string, unknown>;
  return {
    ...where,
    method: r.method,
    url: r.url,
    headers: r.headers,
    body: truncated ? Buffer.from(body).subarray(0, MAX_STORED_BODY_BYTES).toString("utf8") : body,
    ...(truncated ? { bodyTruncated: true as const } : {}),
  };
}

function withHeaders(base: Record<string, string>, add: Record<string, string>): Record<string, string> {
  const lower = new Set(Object.keys(add).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (!lower.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...add };
}

/** Headers the auth step added or changed (already masked in `after`). */
function changed(before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) out[k] = v;
  return out;
}
