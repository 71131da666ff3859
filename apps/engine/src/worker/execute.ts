import { STATUS_CODES } from "node:http";
import { parseRetryAfter } from "@ib/core/backoff";
import { type AttemptDecision, type AttemptResult, decideAttempt } from "@ib/core/delivery-state";
import { newId } from "@ib/core/ids";
import type { EventEnvelope, RenderedRequest } from "@ib/core/render-request";
import { EXPECT_CAPTURE_BYTES, type ExpectationOpening, expectationOpening } from "../reconciliation/open.ts";
import type { ClaimedDelivery } from "./claim.ts";
import type { CachedConnector } from "./connector-cache.ts";
import type { DeliveryHttpClient, SendResult } from "./http-client.ts";
import { secretScrubber, sendOnce, shownRequest, shownResponse } from "./send-once.ts";
import type { BrokerConnections } from "./transports/broker.ts";
import type { PublishResult } from "./transports/types.ts";

export { USER_AGENT } from "./send-once.ts";

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
  /** A SUCCESS of a connector with `expect`: the expectation to open with it (DESIGN §14). */
  expectation?: ExpectationOpening;
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
  /** Broker destinations' connections (`ctx.brokers`). */
  brokers: BrokerConnections;
  isProbe?: boolean;
}): Promise<AttemptCompletion> {
  const { delivery, cached, client, brokers } = input;
  const { connector } = cached;
  const startedAt = new Date();
  const attempt = delivery.attempts + 1;

  let redacted: RenderedRequest | null = null;
  let result: AttemptResult;
  let sent: SendResult | PublishResult | undefined;
  const once = await sendOnce({
    id: delivery.id,
    event: envelopeOf(delivery),
    connector,
    secrets: cached.secrets,
    client,
    brokers,
    plan: cached.plan,
    captureBytes: connector.expect ? EXPECT_CAPTURE_BYTES : undefined,
  });
  if (once.kind === "unprepared") {
    result = { kind: "permanent", error: once.error };
    redacted = once.redacted;
  } else {
    redacted = once.redacted;
    sent = once.sent;
    result = toAttemptResult(sent, connector.timeoutMs);
  }

  const decision = decide(connector, result, attempt);
  // A destination may echo the request back (its URL with a key in the query, an Authorization header):
  // what we store of its answer is scrubbed of every secret value, like the request.
  const scrub = secretScrubber(cached.secrets, once.kind === "sent" ? once.derived : []);
  const expectation =
    decision.status === "SUCCESS" && sent?.kind === "response"
      ? await expectationOpening({ expect: connector.expect, event: envelopeOf(delivery), answer: sent, scrub })
      : undefined;
  const done = completion(input, decision, {
    request: redacted ? shownRequest(redacted) : null,
    // A broker's answer is its confirm / ack (RabbitMQ: exchange and routing key; JetStream: stream, seq).
    response:
      sent?.kind === "response"
        ? shownResponse(sent, scrub)
        : sent?.kind === "published"
          ? { published: sent.details }
          : null,
    statusCode: sent?.kind === "response" ? sent.status : null,
    error: decision.error ? scrub(decision.error) : null,
    durationMs: sent ? sent.durationMs : 0,
    startedAt,
  });
  return expectation ? { ...done, expectation } : done;
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
  const error = secretScrubber(input.cached.secrets)(input.error);
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

/** The event envelope the mapping renders against (DESIGN §6). */
function envelopeOf(delivery: ClaimedDelivery): EventEnvelope {
  return {
    id: delivery.eventId,
    name: delivery.event.name,
    source: delivery.event.source ?? "",
    time:
      typeof delivery.event.attributes.time === "string"
        ? delivery.event.attributes.time
        : delivery.event.receivedAt.toISOString(),
    payload: delivery.event.payload,
  } as EventEnvelope;
}

/** What a send means to the retry policy; the editor's test send judges its answer the same way. */
export function toAttemptResult(sent: SendResult | PublishResult, timeoutMs: number): AttemptResult {
  switch (sent.kind) {
    case "published":
      return { kind: "acknowledged" };
    case "rejected":
      return { kind: "permanent", error: `Broker refused the message: ${sent.error}` };
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
