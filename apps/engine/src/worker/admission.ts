import { CIRCUIT_POSTPONED_PREFIX } from "./circuit.ts";
import type { ClaimedDelivery } from "./claim.ts";
import type { PostponeCompletion } from "./complete.ts";
import type { CachedConnector } from "./connector-cache.ts";
import type { RateDecision } from "./rate-limit.ts";

/**
 * What the admission rules need from the worker and the database. The worker passes its own counters and
 * the real database calls; a test passes plain functions.
 */
export interface AdmissionPorts {
  /** The connector's destination answered 410 Gone and its outcome has not disabled it yet. */
  isGone(connectorId: string): boolean;
  /** Deliveries of the connector this worker is executing right now. */
  inFlight(connectorId: string): number;
  /** Takes the half-open probe of a cooled-down circuit; false when another worker (or probe) holds it. */
  acquireProbe(cached: CachedConnector, seen: "open" | "half_open"): Promise<boolean>;
  /** The connector as it applies to this delivery (Integration Registry overrides: timeout, retries, rate). */
  effective(cached: CachedConnector, delivery: ClaimedDelivery): Promise<CachedConnector>;
  takeRateToken(connectorId: string, ratePerSecond: number): Promise<RateDecision>;
  /** The clock after a database call (the rate limit's retry time starts then, not at the batch's start). */
  now(): number;
}

export interface AdmissionOptions {
  /** How long a disabled connector's deliveries wait before they are looked at again. */
  disabledRecheckMs: number;
}

/** Per claimed batch: the batch's clock and the connectors for which it already sends the half-open probe. */
export interface AdmissionBatch {
  now: number;
  probing: Set<string>;
}

/** Sent now (as the circuit's probe or not), or given back due at `at` without a call or an attempt. */
export type Admission =
  | {
      admit: true;
      /** The connector with the overrides that apply to this delivery. */
      cached: CachedConnector;
      isProbe: boolean;
      /** A rate token was taken: look again when the next one is due. */
      recheckAt?: number;
    }
  | { admit: false; at: number; why: PostponeCompletion["why"]; reason?: string };

/**
 * The rules that decide whether a claimed delivery is sent now, in order: a disabled (or just gone) connector
 * waits; an open circuit holds it until the cool-down ends, then lets exactly one probe through; the
 * connector's `maxInFlight` and rate limit postpone it (a probe is exempt from both).
 */
export async function admit(
  delivery: ClaimedDelivery,
  cached: CachedConnector,
  batch: AdmissionBatch,
  ports: AdmissionPorts,
  options: AdmissionOptions,
): Promise<Admission> {
  const connector = cached.connector;
  const { now } = batch;
  if (!connector.enabled || ports.isGone(connector.id)) {
    return {
      admit: false,
      at: now + options.disabledRecheckMs,
      why: "disabled",
      reason: "Connector is disabled: the delivery waits, without spending an attempt, until it is enabled",
    };
  }
  let isProbe = false;
  const circuit = delivery.circuit;
  if (circuit.state !== "closed") {
    const openUntil = circuit.openUntil?.getTime() ?? 0;
    if (openUntil > now && circuit.state === "open") {
      // Cooling down: held until its end, out of the due queue.
      return { admit: false, at: openUntil, why: "circuit", reason: circuitReason(openUntil) };
    }
    // Cooled down: one delivery probes. The claim takes no other while a probe is out, so the others
    // are given back due at once and flow as soon as the probe closes the circuit (or wait for the next
    // cool-down if it fails).
    const acquired = !batch.probing.has(connector.id) && (await ports.acquireProbe(cached, circuit.state));
    if (!acquired) {
      return {
        admit: false,
        at: now,
        why: "circuit",
        reason: "Circuit half-open: waiting for the probe's outcome, without a call or an attempt",
      };
    }
    batch.probing.add(connector.id);
    isProbe = true;
  }
  const cap = connector.maxInFlight;
  if (cap && ports.inFlight(connector.id) >= cap && !isProbe) return { admit: false, at: now, why: "capacity" };
  const effective = await ports.effective(cached, delivery);
  const rate = effective.connector.rateLimitPerSecond;
  if (!rate || isProbe) return { admit: true, cached: effective, isProbe };
  const token = await ports.takeRateToken(connector.id, rate);
  if (!token.ok) {
    return {
      admit: false,
      at: ports.now() + token.retryAfterMs,
      why: "rate",
      reason: `Rate limit of ${rate}/s reached: postponed without an attempt`,
    };
  }
  // The claim took no more than the bucket held.
  return { admit: true, cached: effective, isProbe, recheckAt: ports.now() + Math.ceil(1000 / rate) };
}

function circuitReason(until: number) {
  return `${CIRCUIT_POSTPONED_PREFIX}${new Date(until).toISOString()}: postponed without a call or an attempt`;
}
