import { sql } from "drizzle-orm";
import { boolean, check, index, json, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ts } from "./_columns.ts";

export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    source: text("source"),
    /**
     * `json`, not `jsonb`: kept as the text received, so its keys come back in the order sent (shown so,
     * and taken as a connector's sample). The check below still refuses what `jsonb` could not hold.
     */
    payload: json("payload").$type<unknown>(),
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
    // Every ingest path refuses such text first, with the reason (`findUnstorableText`). This is the backstop:
    // a payload `jsonb` cannot hold (`\u0000`, an unpaired surrogate) would reach a delivery whose request
    // and observed values (jsonb columns) could then not be recorded, so it fails the insert instead, as the
    // jsonb column did. The cast costs what storing it as jsonb cost.
    check("events_payload_storable", sql`${t.payload} is null or ${t.payload}::jsonb is not null`),
  ],
);

export type Event = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;
