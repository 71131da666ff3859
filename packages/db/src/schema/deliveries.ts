import { DELIVERY_STATUSES, type DeliveryStatus } from "@ib/core/contracts/delivery-status";
import { relations, sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "./_columns.ts";
import { connectors } from "./connectors.ts";
import { events } from "./events.ts";
import { replays } from "./replays.ts";

export { DELIVERY_STATUSES, type DeliveryStatus };

export const deliveries = pgTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    connectorId: text("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    status: text("status").$type<DeliveryStatus>().notNull().default("PENDING"),
    /** Attempts made in the current round; a retry-dlq starts a new round at 0. */
    attempts: integer("attempts").notNull().default(0),
    /** Attempts made over the delivery's whole life, across rounds. */
    totalAttempts: integer("total_attempts").notNull().default(0),
    round: integer("round").notNull().default(1),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lockedBy: text("locked_by"),
    lastError: text("last_error"),
    lastStatusCode: integer("last_status_code"),
    /**
     * Why a delivery waits without an attempt: `circuit` (open circuit breaker), `rate`, `capacity`,
     * `disabled`; null when it waits for a retry or its first attempt. Lets a closing circuit find exactly
     * the deliveries it held back.
     */
    waitReason: text("wait_reason").$type<"circuit" | "rate" | "capacity" | "disabled">(),
    /** Set on a delivery created by a replay (`replay: true` in the API); null for one created at ingest. */
    replayId: text("replay_id").references(() => replays.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: ts("completed_at"),
  },
  (t) => [
    index("deliveries_replay_idx").on(t.replayId, t.status).where(sql`${t.replayId} is not null`),
    // The worker's claim: due deliveries in time order, and expired leases.
    index("deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} in ('PENDING', 'RETRY_SCHEDULED')`),
    index("deliveries_lease_idx").on(t.lockedUntil).where(sql`${t.status} = 'PROCESSING'`),
    index("deliveries_connector_created_idx").on(t.connectorId, t.createdAt, t.id),
    index("deliveries_connector_status_idx").on(t.connectorId, t.status),
    index("deliveries_event_idx").on(t.eventId),
    index("deliveries_completed_idx").on(t.completedAt),
  ],
);

export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    connectorId: text("connector_id").notNull(),
    attempt: integer("attempt").notNull(),
    round: integer("round").notNull().default(1),
    outcome: text("outcome").notNull(),
    /** The request as sent, with secret values redacted. */
    request: jsonb("request").$type<Record<string, unknown>>(),
    /** `{ status, headers, body, bodyTruncated }` */
    response: jsonb("response").$type<Record<string, unknown> | null>(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms"),
    startedAt: ts("started_at").notNull().defaultNow(),
  },
  (t) => [
    index("delivery_attempts_delivery_idx").on(t.deliveryId, t.attempt),
    index("delivery_attempts_connector_started_idx").on(t.connectorId, t.startedAt),
  ],
);

export const deliveriesRelations = relations(deliveries, ({ one, many }) => ({
  connector: one(connectors, { fields: [deliveries.connectorId], references: [connectors.id] }),
  event: one(events, { fields: [deliveries.eventId], references: [events.id] }),
  attempts: many(deliveryAttempts),
}));

export const deliveryAttemptsRelations = relations(deliveryAttempts, ({ one }) => ({
  delivery: one(deliveries, { fields: [deliveryAttempts.deliveryId], references: [deliveries.id] }),
}));

export type Delivery = typeof deliveries.$inferSelect;
export type NewDelivery = typeof deliveries.$inferInsert;
export type DeliveryAttempt = typeof deliveryAttempts.$inferSelect;
export type NewDeliveryAttempt = typeof deliveryAttempts.$inferInsert;
