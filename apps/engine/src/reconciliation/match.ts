import { newId } from "@ib/core/ids";
import type { CompiledPaths, Expect, ExpectedValue, ObservedValue } from "@ib/core/reconciliation";
import { differences, eventKeyOf, observedValues } from "@ib/core/reconciliation";
import { connectors, type Executor, expectations, type UnexpectedReason, unexpectedEvents } from "@ib/db";
import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Logger } from "../lib/logger.ts";
import { type Alert, logAlert } from "../observability/alerts.ts";

/**
 * Matching (DESIGN §14), inside the transaction that stores incoming events (ingest, inbound webhooks and
 * broker sources all go through the ingest verb). For every stored event named like some connector's
 * `expect.eventName`, and for each such connector:
 *
 * - its `eventKey` read from the event finds that connector's oldest expectation with the same
 *   (eventName, key) still OPEN or MISSING: it closes as OBSERVED, or MISMATCH when a compare pair differs;
 *   a MISSING one becomes OBSERVED/MISMATCH with `late: true`;
 * - otherwise the event is UNEXPECTED for that connector, one `unexpected_events` row with the reason:
 *   `no_key` (the event has no value at `eventKey`), `already_closed` (an expectation with that key was
 *   already observed: a second confirmation) or `no_expectation`. The sweep later gives a `no_expectation`
 *   event to an expectation that opens shortly after it (the provider answered faster than our commit).
 *
 * Alerts are logged only after the transaction commits (`logReconciliation`).
 */

export interface StoredEvent {
  id: string;
  name: string;
  source: string | null;
  payload: unknown;
  attributes: Record<string, unknown>;
}

export interface ReconciliationOutcome {
  observed: number;
  mismatched: number;
  late: number;
  unexpected: number;
  alerts: Alert[];
  notes: { message: string; fields: Record<string, unknown> }[];
}

const EMPTY: ReconciliationOutcome = { observed: 0, mismatched: 0, late: 0, unexpected: 0, alerts: [], notes: [] };

/** The envelope `eventKey` and `observed` paths read (DESIGN §6). */
export function envelopeOf(event: StoredEvent, receivedAt = new Date()) {
  const time = typeof event.attributes.time === "string" ? event.attributes.time : receivedAt.toISOString();
  return { id: event.id, name: event.name, source: event.source, time, payload: event.payload };
}

export async function reconcileIncomingEvents(db: Executor, events: StoredEvent[]): Promise<ReconciliationOutcome> {
  if (events.length === 0) return EMPTY;
  const names = [...new Set(events.map((e) => e.name))];
  // One small read per ingest transaction; nothing more unless some connector expects one of these names.
  const expecting = await db
    .select({ id: connectors.id, expect: connectors.expect })
    .from(connectors)
    .where(and(isNotNull(connectors.expect), inArray(sql<string>`${connectors.expect}->>'eventName'`, names)));
  if (expecting.length === 0) return EMPTY;

  const outcome: ReconciliationOutcome = { ...EMPTY, alerts: [], notes: [] };
  const compiled: CompiledPaths = new Map();
  for (const event of events) {
    for (const connector of expecting) {
      const expect = connector.expect as Expect;
      if (expect.eventName !== event.name) continue;
      await matchOne(db, { connectorId: connector.id, expect, event, compiled }, outcome);
    }
  }
  return outcome;
}

async function matchOne(
  db: Executor,
  input: { connectorId: string; expect: Expect; event: StoredEvent; compiled: CompiledPaths },
  outcome: ReconciliationOutcome,
): Promise<void> {
  const { connectorId, expect, event, compiled } = input;
  const envelope = envelopeOf(event);
  const key = await eventKeyOf(expect.eventKey, envelope, compiled);
  if (key === null) {
    await recordUnexpected(db, { connectorId, event, key: null, reason: "no_key", expectationId: null }, outcome);
    return;
  }
  const same = and(
    eq(expectations.eventName, event.name),
    eq(expectations.key, key),
    eq(expectations.connectorId, connectorId),
  );
  const [open] = await db
    .select({ id: expectations.id, status: expectations.status, expected: expectations.expected })
    .from(expectations)
    .where(and(same, inArray(expectations.status, ["OPEN", "MISSING"])))
    .orderBy(asc(expectations.openedAt), asc(expectations.id))
    .limit(1)
    .for("update");
  if (open) {
    const closed = await closeExpectation(db, { expectation: open, eventId: event.id, envelope, compiled });
    Object.assign(outcome, {
      observed: outcome.observed + (closed.status === "OBSERVED" ? 1 : 0),
      mismatched: outcome.mismatched + (closed.status === "MISMATCH" ? 1 : 0),
      late: outcome.late + (closed.late ? 1 : 0),
    });
    collect(outcome, closed, { connectorId, key });
    return;
  }
  const [previous] = await db
    .select({ id: expectations.id })
    .from(expectations)
    .where(and(same, inArray(expectations.status, ["OBSERVED", "MISMATCH"])))
    .orderBy(desc(expectations.openedAt), desc(expectations.id))
    .limit(1);
  await recordUnexpected(
    db,
    {
      connectorId,
      event,
      key,
      reason: previous ? "already_closed" : "no_expectation",
      expectationId: previous?.id ?? null,
    },
    outcome,
  );
}

export interface Closed {
  id: string;
  status: "OBSERVED" | "MISMATCH";
  late: boolean;
  eventId: string;
  expected: ExpectedValue[];
  observed: ObservedValue[];
  differences: number[];
}

/** Close one locked OPEN or MISSING expectation with an event (shared with the sweep's late adoption). */
export async function closeExpectation(
  db: Executor,
  input: {
    expectation: { id: string; status: string; expected: ExpectedValue[] };
    eventId: string;
    envelope: unknown;
    compiled?: CompiledPaths;
  },
): Promise<Closed> {
  const { expectation } = input;
  const observed = await observedValues(expectation.expected, input.envelope, input.compiled);
  const differing = differences(expectation.expected, observed);
  const status = differing.length > 0 ? "MISMATCH" : "OBSERVED";
  const late = expectation.status === "MISSING";
  await db
    .update(expectations)
    .set({ status, observedEventId: input.eventId, observed, late, closedAt: sql`now()` })
    .where(eq(expectations.id, expectation.id));
  return {
    id: expectation.id,
    status,
    late,
    eventId: input.eventId,
    expected: expectation.expected,
    observed,
    differences: differing,
  };
}

/** The alert and log lines a closed expectation deserves. */
export function collect(outcome: ReconciliationOutcome, closed: Closed, about: { connectorId: string; key: string }) {
  if (closed.status === "MISMATCH") outcome.alerts.push(mismatchAlert(closed, about));
  if (closed.late) {
    outcome.notes.push({
      message: "reconciliation: a confirmation arrived after its expectation was marked MISSING",
      fields: { expectationId: closed.id, connectorId: about.connectorId, key: about.key, status: closed.status },
    });
  }
}

function mismatchAlert(closed: Closed, about: { connectorId: string; key: string }): Alert {
  return {
    alert: "expectation_mismatch",
    connectorId: about.connectorId,
    expectationId: closed.id,
    key: about.key,
    observedEventId: closed.eventId,
    late: closed.late,
    differences: closed.differences.map((i) => ({
      expected: closed.expected[i]?.expected,
      observed: closed.expected[i]?.observed,
      expectedValue: shortened(closed.expected[i]?.value),
      observedValue: shortened(closed.observed[i]?.value),
    })),
  };
}

function shortened(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length > 200 ? `${text.slice(0, 197)}...` : value;
}

async function recordUnexpected(
  db: Executor,
  input: {
    connectorId: string;
    event: StoredEvent;
    key: string | null;
    reason: UnexpectedReason;
    expectationId: string | null;
  },
  outcome: ReconciliationOutcome,
): Promise<void> {
  const rows = await db
    .insert(unexpectedEvents)
    .values({
      id: newId("unexpected"),
      connectorId: input.connectorId,
      eventId: input.event.id,
      eventName: input.event.name,
      key: input.key,
      reason: input.reason,
      expectationId: input.expectationId,
    })
    .onConflictDoNothing()
    .returning({ id: unexpectedEvents.id });
  if (rows.length > 0) outcome.unexpected++;
}

/** After the commit: one alert line per MISMATCH, an info line per late confirmation. */
export function logReconciliation(logger: Logger, outcome: ReconciliationOutcome): void {
  for (const alert of outcome.alerts) logAlert(logger, alert);
  for (const note of outcome.notes) logger.info(note.fields, note.message);
  if (outcome.unexpected > 0) logger.debug({ unexpected: outcome.unexpected }, "reconciliation: unexpected events");
}
