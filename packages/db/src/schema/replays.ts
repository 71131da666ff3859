import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "./_columns.ts";
import { connectors } from "./connectors.ts";

export const REPLAY_STATES = ["running", "done", "failed"] as const;
export type ReplayState = (typeof REPLAY_STATES)[number];

/**
 * A replay of stored events to one connector. The deliveries are created in pages by a background
 * runner (any process may pick a running replay up; the lease and the keyset cursor survive a crash),
 * each page in its own short transaction.
 */
export const replays = pgTable(
  "replays",
  {
    id: text("id").primaryKey(),
    /** Null once the connector is deleted (its replayed deliveries went with it). */
    connectorId: text("connector_id").references(() => connectors.id, { onDelete: "set null" }),
    /** The range `[fromTime, toTime)` of `events.received_at`. */
    fromTime: ts("from_time").notNull(),
    toTime: ts("to_time").notNull(),
    eventName: text("event_name"),
    /** Set when one event is replayed (from the events explorer). */
    eventId: text("event_id"),
    /** Skip events that already have a delivery for this connector. */
    onlyUndelivered: boolean("only_undelivered").notNull().default(false),
    /** The connector's `sourceEvent` and `filter` when the replay was asked for: a later edit does not change it. */
    sourceEvent: text("source_event").notNull(),
    filter: jsonb("filter").$type<unknown>(),
    state: text("state").$type<ReplayState>().notNull().default("running"),
    /** Deliveries the plan counted, and deliveries created so far. */
    planned: integer("planned").notNull().default(0),
    created: integer("created").notNull().default(0),
    /** Keyset cursor: the last event paged (received_at, id). */
    cursorAt: ts("cursor_at"),
    cursorId: text("cursor_id"),
    lockedBy: text("locked_by"),
    lockedUntil: ts("locked_until"),
    error: text("error"),
    actorId: text("actor_id"),
    actorRole: text("actor_role"),
    requestId: text("request_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: ts("completed_at"),
  },
  (t) => [
    index("replays_running_idx").on(t.lockedUntil).where(sql`${t.state} = 'running'`),
    index("replays_connector_idx").on(t.connectorId, t.createdAt),
  ],
);

export type Replay = typeof replays.$inferSelect;
export type NewReplay = typeof replays.$inferInsert;
