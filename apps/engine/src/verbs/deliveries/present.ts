import type { Delivery, DeliveryAttempt } from "@ib/db";

export function presentAttempt(a: DeliveryAttempt) {
  return {
    id: a.id,
    attempt: a.attempt,
    round: a.round,
    outcome: a.outcome,
    request: a.request ?? null,
    response: a.response ?? null,
    statusCode: a.statusCode,
    error: a.error,
    durationMs: a.durationMs,
    startedAt: a.startedAt.toISOString(),
  };
}

export function presentDelivery(d: Delivery, attempts: DeliveryAttempt[]) {
  return {
    id: d.id,
    connectorId: d.connectorId,
    eventId: d.eventId,
    status: d.status,
    attempts: d.attempts,
    totalAttempts: d.totalAttempts,
    round: d.round,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    lastError: d.lastError,
    lastStatusCode: d.lastStatusCode,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    completedAt: d.completedAt?.toISOString() ?? null,
    /** Every attempt over every round, oldest first. */
    attemptLog: attempts.map(presentAttempt),
  };
}

export type DeliveryView = ReturnType<typeof presentDelivery>;
