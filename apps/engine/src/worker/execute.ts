import { STATUS_CODES } from "node:http";
import { parseRetryAfter } from "@ib/core/backoff";
import { type AttemptDecision, type AttemptResult, decideAttempt } from "@ib/core/delivery-state";
import { newId } from "@ib/core/ids";
import { MappingError, type RenderedRequest, redactSecretValues, renderRequest } from "@ib/core/render-request";
import { SIGNING_SECRET_NAME, SigningSecretError, standardWebhookHeaders } from "@ib/core/signing";
import { applyRequestAuth, RequestAuthError } from "@ib/providers/request-auth";
import type { ClaimedDelivery } from "./claim.ts";
import type { CachedConnector } from "./connector-cache.ts";
import { type DeliveryHttpClient, MAX_STORED_BODY_BYTES, type SendResult } from "./http-client.ts";

export const USER_AGENT = "IntegrationBuilder/1.0 (+https://github.com/integration-builder; delivery worker)";

export interface AttemptRecord {
  id: string;
  deliveryId: string;
  connectorId: string;
  attempt: number;
  round: number;
  outcome: string;
  request: Record<string, unknown> | null;
  response: Record<string, unknown> | null;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
  startedAt: Date;
}

export interface AttemptCompletion {
  type: "attempt";
  delivery: ClaimedDelivery;
  decision: AttemptDecision;
  record: AttemptRecord;
  isProbe: boolean;
  /** The connector's breaker settings when the attempt was made. */
  circuitConfig: { threshold: number; cooldownMs: number };
}

/**
 * One attempt of one delivery: render the request (mapping + secrets), add the delivery headers and the
 * Standard Webhooks signature, apply the connector's auth, send it, and decide the outcome (DESIGN §5).
 * Never throws for a delivery-level problem: those become the attempt's outcome.
 */
export async function executeDelivery(input: {
  delivery: ClaimedDelivery;
  cached: CachedConnector;
  client: DeliveryHttpClient;
  isProbe?: boolean;
}): Promise<AttemptCompletion> {
  const { delivery, cached, client } = input;
  const { connector } = cached;
  const startedAt = new Date();
  const attempt = delivery.attempts + 1;

  let redacted: RenderedRequest | null = null;
  let result: AttemptResult;
  let sent: SendResult | undefined;
  const prepared = prepare(delivery, cached);
  if ("error" in prepared) {
    result = { kind: "permanent", error: prepared.error };
    redacted = prepared.redacted ?? null;
  } else {
    redacted = prepared.redacted;
    sent = await client.send(prepared.request, connector.timeoutMs);
    result = toAttemptResult(sent, connector.timeoutMs);
  }

  const decision = decide(connector, result, attempt);
  // A destination may echo the request back (its URL with a key in the query, an Authorization header):
  // what we store of its answer is scrubbed of every secret value, like the request.
  const scrub = scrubber(cached);
  const response =
    sent?.kind === "response"
      ? {
          status: sent.status,
          headers: Object.fromEntries(Object.entries(sent.headers).map(([k, v]) => [k, scrub(String(v))])),
          body: typeof sent.body === "string" ? scrub(sent.body) : sent.body,
          bodyTruncated: sent.bodyTruncated,
        }
      : null;
  return completion(input, decision, {
    request: redacted ? storedRequest(redacted) : null,
    response,
    statusCode: sent?.kind === "response" ? sent.status : null,
    error: decision.error ? scrub(decision.error) : null,
    durationMs: sent ? sent.durationMs : 0,
    startedAt,
  });
}

/** Shown for an attempt whose worker's lease ran out before it wrote an outcome (it died or stalled). */
export const LEASE_LOST_ERROR =
  "The worker lost the lease (it stopped or stalled mid-attempt); the call may or may not have reached the destination";

/**
 * An attempt that produced no answer of its own: its worker lost the lease, or its task threw. It counts
 * like a failed call (backoff, then the DLQ after `retryMaxAttempts`), so a delivery that kills or crashes
 * its worker cannot be retried forever. It says nothing about the destination: the circuit ignores it.
 */
export function failedAttempt(input: {
  delivery: ClaimedDelivery;
  cached: CachedConnector;
  error: string;
  isProbe?: boolean;
}): AttemptCompletion {
  const error = scrubber(input.cached)(input.error);
  const decision = decide(input.cached.connector, { kind: "worker", error }, input.delivery.attempts + 1);
  return completion(input, decision, {
    request: null,
    response: null,
    statusCode: null,
    error: decision.error ?? null,
    durationMs: null,
    startedAt: new Date(),
  });
}

/** The connector's retry policy applied to one attempt's result (DESIGN §5). */
function decide(connector: CachedConnector["connector"], result: AttemptResult, attempt: number): AttemptDecision {
  return decideAttempt({
    result,
    attempt,
    maxAttempts: Math.max(1, connector.retryMaxAttempts),
    backoff: { baseMs: connector.retryBackoffBaseMs, maxMs: connector.retryBackoffMaxMs },
  });
}

/** Removes every secret value of the connector from text we store. */
function scrubber(cached: CachedConnector): (text: string) => string {
  return (text) => (cached.secrets instanceof Error ? text : redactSecretValues(text, cached.secrets));
}

/** The outcome to write: the decision and the attempt's row. */
function completion(
  input: { delivery: ClaimedDelivery; cached: CachedConnector; isProbe?: boolean },
  decision: AttemptDecision,
  evidence: Pick<AttemptRecord, "request" | "response" | "statusCode" | "error" | "durationMs" | "startedAt">,
): AttemptCompletion {
  const { delivery } = input;
  const { connector } = input.cached;
  return {
    type: "attempt",
    delivery,
    decision,
    isProbe: input.isProbe ?? false,
    circuitConfig: {
      threshold: Math.max(1, connector.circuitFailureThreshold),
      cooldownMs: connector.circuitCooldownMs,
    },
    record: {
      id: newId("attempt"),
      deliveryId: delivery.id,
      connectorId: delivery.connectorId,
      attempt: delivery.attempts + 1,
      round: delivery.round,
      outcome: decision.status,
      ...evidence,
    },
  };
}

type Prepared = { request: RenderedRequest; redacted: RenderedRequest } | { error: string; redacted?: RenderedRequest };

function prepare(delivery: ClaimedDelivery, cached: CachedConnector): Prepared {
  const { connector, secrets } = cached;
  if (secrets instanceof Error) return { error: secrets.message };
  const event = {
    id: delivery.eventId,
    name: delivery.event.name,
    source: delivery.event.source ?? "",
    time:
      typeof delivery.event.attributes.time === "string"
        ? delivery.event.attributes.time
        : delivery.event.receivedAt.toISOString(),
    payload: delivery.event.payload,
  };
  let rendered: ReturnType<typeof renderRequest>;
  try {
    rendered = renderRequest({
      destination: connector.destination,
      mapping: connector.mapping,
      event: event as Parameters<typeof renderRequest>[0]["event"],
      secrets,
    });
  } catch (error) {
    if (error instanceof MappingError) return { error: `Mapping error (${error.code}): ${error.message}` };
    return { error: `Mapping error: ${(error as Error).message}` };
  }
  const { request, redacted } = rendered;

  // Delivery headers win over same-named template headers: receivers rely on them to de-duplicate.
  const ours: Record<string, string> = {
    "Idempotency-Key": delivery.id,
    "webhook-id": delivery.id,
    "User-Agent": USER_AGENT,
  };
  const signingSecret = secrets[SIGNING_SECRET_NAME];
  if (signingSecret) {
    try {
      const signed = standardWebhookHeaders({ secret: signingSecret, id: delivery.id, body: request.body ?? "" });
      ours["webhook-timestamp"] = signed["webhook-timestamp"];
      ours["webhook-signature"] = signed["webhook-signature"];
    } catch (error) {
      if (error instanceof SigningSecretError) return { error: `Signing failed: ${error.message}`, redacted };
      throw error;
    }
  }
  const headers = withHeaders(request.headers, ours);
  const redactedHeaders = withHeaders(redacted.headers, ours);
  try {
    const authed = applyRequestAuth({ ...request, headers }, connector.auth, secrets);
    return {
      request: { ...request, headers: authed.headers },
      redacted: { ...redacted, headers: withHeaders(redactedHeaders, diff(headers, authed.redactedHeaders)) },
    };
  } catch (error) {
    if (error instanceof RequestAuthError) return { error: `Auth error: ${error.message}`, redacted };
    throw error;
  }
}

function withHeaders(base: Record<string, string>, add: Record<string, string>): Record<string, string> {
  const lower = new Set(Object.keys(add).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (!lower.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...add };
}

/** Headers the auth step added or changed (already masked in `after`). */
function diff(before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) out[k] = v;
  return out;
}

function storedRequest(r: RenderedRequest): Record<string, unknown> {
  const body = r.body ?? null;
  const truncated = body !== null && Buffer.byteLength(body) > MAX_STORED_BODY_BYTES;
  return {
    method: r.method,
    url: r.url,
    headers: r.headers,
    body: truncated ? Buffer.from(body).subarray(0, MAX_STORED_BODY_BYTES).toString("utf8") : body,
    ...(truncated ? { bodyTruncated: true } : {}),
  };
}

function toAttemptResult(sent: SendResult, timeoutMs: number): AttemptResult {
  switch (sent.kind) {
    case "response":
      return {
        kind: "response",
        status: sent.status,
        statusText: STATUS_CODES[sent.status],
        retryAfterMs: parseRetryAfter(sent.headers["retry-after"]),
        bodySnippet: sent.body.slice(0, 200).replace(/\s+/g, " ").trim() || undefined,
      };
    case "timeout":
      return { kind: "timeout", timeoutMs };
    case "refused":
      return { kind: "permanent", error: `Destination refused (SSRF guard): ${sent.error}` };
    case "network":
      return { kind: "network", error: sent.error };
  }
}
