import {
  EXPECTATION_STATUSES,
  type ExpectationStatus,
  UNEXPECTED_REASONS,
  type UnexpectedReason,
} from "@ib/core/contracts/reconciliation";
import type { ExpectedValue, ObservedValue } from "@ib/core/reconciliation";
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ts } from "./_columns.ts";
import { connectors } from "./connectors.ts";

export type { ExpectedValue, ObservedValue };
export { EXPECTATION_STATUSES, type ExpectationStatus, UNEXPECTED_REASONS, type UnexpectedReason };

/**
 * Reconciliation (DESIGN §14): a successful delivery of a connector with `expect` opens one expectation,
 * closed by the provider's confirmation event. Delivery and event ids are plain text, not foreign keys:
 * the record outlives the retention of the deliveries and events it points at.
 */
export const expectations = pgTable(
  "expectations",
  {
    id: text("id").primaryKey(),
    connectorId: text("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    deliveryId: text("delivery_id").notNull(),
    /** The event the delivery carried. */
    eventId: text("event_id").notNull(),
    /** The confirmation's event name (`expect.eventName` when it opened). */
    eventName: text("event_name").notNull(),
    /** `expect.eventKey` as it was when it opened, so a later edit of the connector does not change the match. */
    eventKey: text("event_key").notNull(),
    /** `expect.key` evaluated on `{event, response}`; null when it could not be (see `keyError`). */
    key: text("key"),
    /** Why `key` is null (unparseable response, path not found, ...); null when it was evaluated. */
    keyError: text("key_error"),
    status: text("status").$type<ExpectationStatus>().notNull().default("OPEN"),
    expected: jsonb("expected").$type<ExpectedValue[]>().notNull().default([]),
    observedEventId: text("observed_event_id"),
    observed: jsonb("observed").$type<ObservedValue[] | null>(),
    /** Observed after it had been marked MISSING. */
    late: boolean("late").notNull().default(false),
    openedAt: ts("opened_at").notNull().defaultNow(),
    dueAt: ts("due_at").notNull(),
    /** When it was marked MISSING (kept when a late confirmation turns it OBSERVED). */
    missingAt: ts("missing_at"),
    /** When it left OPEN: observed, mismatched or missing; a late confirmation moves it to the observation. */
    closedAt: ts("closed_at"),
  },
  (t) => [
    // One expectation per delivery: a completion recorded twice opens nothing new.
    uniqueIndex("expectations_delivery_uq").on(t.deliveryId),
    // Matching an incoming event.
    index("expectations_match_idx").on(t.eventName, t.key),
    // The expiry sweep.
    index("expectations_status_due_idx").on(t.status, t.dueAt),
    // Lists newest first, per connector or across all.
    index("expectations_opened_idx").on(t.openedAt, t.id),
    index("expectations_connector_opened_idx").on(t.connectorId, t.openedAt, t.id),
  ],
);

/**
 * UNEXPECTED: an event named like a connector's `expect.eventName` that no open expectation of that
 * connector was waiting for. One row per (event, connector expecting that name).
 */
export const unexpectedEvents = pgTable(
  "unexpected_events",
  {
    id: text("id").primaryKey(),
    connectorId: text("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventName: text("event_name").notNull(),
    /** `expect.eventKey` evaluated on the event; null when the event has no value there. */
    key: text("key"),
    reason: text("reason").$type<UnexpectedReason>().notNull(),
    /** `already_closed`: the expectation it would have closed; `no_expectation`: one that opened later and took it. */
    expectationId: text("expectation_id"),
    /** Set when an expectation opened after the event arrived (the provider was faster than our commit). */
    resolvedAt: ts("resolved_at"),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("unexpected_events_event_connector_uq").on(t.eventId, t.connectorId),
    index("unexpected_events_match_idx").on(t.connectorId, t.eventName, t.key).where(sql`${t.resolvedAt} is null`),
    index("unexpected_events_received_idx").on(t.receivedAt, t.id),
  ],
);

export type Expectation = typeof expectations.$inferSelect;
export type NewExpectation = typeof expectations.$inferInsert;
export type UnexpectedEvent = typeof unexpectedEvents.$inferSelect;
export type NewUnexpectedEvent = typeof unexpectedEvents.$inferInsert;
