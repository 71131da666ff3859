import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ts } from "./_columns.ts";

export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    source: text("source"),
    /**
     * `jsonb` (keys come back sorted by length, then bytes): inbound and broker ingest rely on it refusing a
     * `\u0000` it cannot store, before any delivery is made for the event.
     */
    payload: jsonb("payload").$type<unknown>(),
    /** CloudEvents extension attributes and routing hints (subject, country, providerType, ...). */
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    idempotencyKey: text("idempotency_key"),
    /** The catalog's verdict at ingest: true valid, false invalid (`warn` mode), null when not checked. */
    schemaValid: boolean("schema_valid"),
    /** The CloudEvents `dataschema` attribute, when the event carried one. */
    dataschema: text("dataschema"),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("events_idempotency_key_uq").on(t.idempotencyKey),
    index("events_received_at_idx").on(t.receivedAt),
    index("events_name_idx").on(t.name, t.receivedAt),
    index("events_schema_invalid_idx").on(t.receivedAt).where(sql`${t.schemaValid} = false`),
  ],
);

export type Event = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;
