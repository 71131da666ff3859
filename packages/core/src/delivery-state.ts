import { type BackoffPolicy, backoffDelayMs } from "./backoff.ts";
import { DELIVERY_STATUSES, type DeliveryStatus } from "./contracts/delivery-status.ts";

/**
 * The delivery state machine (DESIGN §5):
 *
 *     PENDING -> PROCESSING -> SUCCESS
 *                           -> RETRY_SCHEDULED -> PROCESSING -> ...
 *                           -> DLQ      (retries exhausted)
 *                           -> FAILED   (permanent)
 *
 * plus the operator's way back: DLQ / FAILED -> PENDING (a new round), and the worker's: PROCESSING ->
 * PENDING / RETRY_SCHEDULED when a claimed delivery is postponed (open circuit) without spending an attempt.
 */
export { DELIVERY_STATUSES, type DeliveryStatus };
export type FinalStatus = "SUCCESS" | "FAILED" | "DLQ";
export type AttemptStatus = FinalStatus | "RETRY_SCHEDULED";

export const TERMINAL_STATUSES: readonly DeliveryStatus[] = ["SUCCESS", "FAILED", "DLQ"];

const TRANSITIONS: Record<DeliveryStatus, readonly DeliveryStatus[]> = {
  PENDING: ["PROCESSING"],
  RETRY_SCHEDULED: ["PROCESSING"],
  // PROCESSING -> PROCESSING: a lease that expired is claimed again.
  PROCESSING: ["SUCCESS", "RETRY_SCHEDULED", "DLQ", "FAILED", "PENDING", "PROCESSING"],
  SUCCESS: [],
  FAILED: ["PENDING"],
  DLQ: ["PENDING"],
};

export function canTransition(from: DeliveryStatus, to: DeliveryStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: DeliveryStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Statuses an operator may send back to PENDING for a fresh round of attempts. */
export function isRetryableByOperator(status: DeliveryStatus): boolean {
  return status === "DLQ" || status === "FAILED";
}

/** 408, 409, 425, 429 and 5xx are worth another try; every other non-2xx status is permanent. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}

/** What one attempt produced. */
export type AttemptResult =
  | { kind: "response"; status: number; statusText?: string; retryAfterMs?: number; bodySnippet?: string }
  /** A broker took the message: RabbitMQ's publisher confirm, the JetStream stream's ack. */
  | { kind: "acknowledged" }
  | { kind: "network"; error: string }
  | { kind: "timeout"; timeoutMs: number }
  /** No call was made and none should be: mapping error, missing secret, refused destination. */
  | { kind: "permanent"; error: string }
  /**
   * No answer of our own: the worker lost its lease or crashed mid-attempt. Retried like a failed call (so a
   * delivery that kills its worker still ends in the DLQ), but it says nothing about the destination.
   */
  | { kind: "worker"; error: string };

export interface AttemptDecision {
  status: AttemptStatus;
  /** Delay before the next attempt (RETRY_SCHEDULED only). */
  delayMs?: number;
  /** The delivery's `lastError` (undefined on SUCCESS). */
  error?: string;
  /** How the attempt counts for the circuit breaker: the destination failed, was fine, or was not involved. */
  circuit: "failure" | "success" | "none";
}

export interface DecideInput {
  result: AttemptResult;
  /** The attempt just made, 1-based, within the current round. */
  attempt: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  random?: () => number;
}

/** Outcome of an attempt, exactly per DESIGN §5. */
export function decideAttempt(input: DecideInput): AttemptDecision {
  const { result, attempt, maxAttempts } = input;
  if (result.kind === "permanent") return { status: "FAILED", error: result.error, circuit: "none" };
  if (result.kind === "acknowledged") return { status: "SUCCESS", circuit: "success" };

  let error: string;
  let retryAfterMs: number | undefined;
  let circuit: AttemptDecision["circuit"] = "failure";
  if (result.kind === "worker") {
    error = result.error;
    circuit = "none";
  } else if (result.kind === "response") {
    if (result.status >= 200 && result.status <= 299) return { status: "SUCCESS", circuit: "success" };
    const snippet = result.bodySnippet ? `: ${result.bodySnippet}` : "";
    error = `HTTP ${result.status}${result.statusText ? ` ${result.statusText}` : ""} from the destination${snippet}`;
    // The destination answered, so it is up: a permanent 4xx does not count against the circuit.
    if (!isRetryableStatus(result.status))
      return { status: "FAILED", error: `${error} (not retryable)`, circuit: "success" };
    retryAfterMs = result.retryAfterMs;
  } else if (result.kind === "timeout") {
    error = `No response within ${result.timeoutMs} ms (timeout)`;
  } else {
    error = `Network error: ${result.error}`;
  }

  if (attempt >= maxAttempts) {
    return {
      status: "DLQ",
      error: `${error}; gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}`,
      circuit,
    };
  }
  const delayMs = retryAfterMs ?? backoffDelayMs(attempt, input.backoff, input.random);
  return { status: "RETRY_SCHEDULED", delayMs, error, circuit };
}
