import type { Expectation, UnexpectedEvent } from "@ib/core/contracts/reconciliation";
import { differences } from "@ib/core/reconciliation";
import type { Expectation as ExpectationRow, UnexpectedEvent as UnexpectedRow } from "@ib/db";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** An expectation as the API answers with it; `differences` lists the compare pairs that disagree. */
export function presentExpectation(row: ExpectationRow, connectorName: string | null): Expectation {
  return {
    id: row.id,
    status: row.status,
    connectorId: row.connectorId,
    connectorName,
    deliveryId: row.deliveryId,
    eventId: row.eventId,
    eventName: row.eventName,
    eventKey: row.eventKey,
    key: row.key,
    keyError: row.keyError,
    expected: row.expected,
    observedEventId: row.observedEventId,
    observed: row.observed,
    differences: row.observed ? differences(row.expected, row.observed) : [],
    late: row.late,
    openedAt: row.openedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    missingAt: iso(row.missingAt),
    closedAt: iso(row.closedAt),
  };
}

export function presentUnexpected(row: UnexpectedRow, connectorName: string | null): UnexpectedEvent {
  return {
    id: row.id,
    status: "UNEXPECTED",
    connectorId: row.connectorId,
    connectorName,
    eventId: row.eventId,
    eventName: row.eventName,
    key: row.key,
    reason: row.reason,
    expectationId: row.expectationId,
    resolvedAt: iso(row.resolvedAt),
    receivedAt: row.receivedAt.toISOString(),
  };
}
