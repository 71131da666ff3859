import type { ServiceContext } from "../context.ts";
import { applyCircuitSignals, type CircuitSignals } from "./circuit.ts";
import type { Completion } from "./complete.ts";
import type { AttemptCompletion } from "./execute.ts";
import { disableGoneConnector } from "./gone.ts";

/**
 * What a batch of outcomes changes beyond the deliveries themselves, before the batch is written: the
 * connectors' circuit breakers, and connectors whose destination answered 410 Gone.
 */

/** Feed each connector's outcomes (and a probe's) to its circuit breaker; resolves when one closed. */
export async function updateCircuits(ctx: ServiceContext, batch: Completion[]): Promise<boolean> {
  const signals = new Map<string, CircuitSignals>();
  for (const c of batch) {
    if (c.type === "postpone" || c.decision.circuit === "none") continue;
    const connectorId = c.delivery.connectorId;
    let s = signals.get(connectorId);
    if (!s) {
      s = {
        connectorId,
        threshold: c.circuitConfig.threshold,
        cooldownMs: c.circuitConfig.cooldownMs,
        outcomes: [],
        knownFailures: c.delivery.circuit.consecutiveFailures,
        knownState: c.delivery.circuit.state,
      };
      signals.set(connectorId, s);
    }
    const ok = c.decision.circuit === "success";
    if (c.isProbe) s.probe = ok;
    else s.outcomes.push(ok);
  }
  let closed = false;
  for (const s of signals.values()) {
    if ((await applyCircuitSignals({ ctx, input: s })) === "closed") closed = true;
  }
  return closed;
}

/**
 * A `410 Gone` disables the connector (once per connector and batch; nothing to do on the usual path).
 * `settled` runs for each such connector whatever happened, so the worker reads it again.
 */
export async function disableGoneConnectors(
  ctx: ServiceContext,
  batch: Completion[],
  settled: (connectorId: string) => void,
): Promise<void> {
  const answered = new Map<string, AttemptCompletion>();
  for (const c of batch) {
    if (c.type === "attempt" && c.record.statusCode === 410 && !answered.has(c.delivery.connectorId))
      answered.set(c.delivery.connectorId, c);
  }
  for (const [connectorId, c] of answered) {
    const url = typeof c.record.request?.url === "string" ? c.record.request.url : null;
    try {
      await disableGoneConnector({ ctx, input: { connectorId, url, deliveryId: c.delivery.id } });
    } finally {
      settled(connectorId);
    }
  }
}
