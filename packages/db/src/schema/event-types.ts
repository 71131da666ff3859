import { integer, json, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./_columns.ts";

export const SCHEMA_FORMATS = ["json-schema", "avro"] as const;
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number];
export const VALIDATION_MODES = ["off", "warn", "enforce"] as const;
export type ValidationMode = (typeof VALIDATION_MODES)[number];

/** The event catalog: one row per event name, with the schema its payload is checked against at ingest. */
export const eventTypes = pgTable("event_types", {
  /** The exact event name, e.g. `order.created`. */
  name: text("name").primaryKey(),
  description: text("description"),
  schemaFormat: text("schema_format").$type<SchemaFormat>().notNull(),
  /** `json`, not `jsonb`: the schema reads back with its keys in the order the author wrote them. */
  schema: json("schema").$type<unknown>().notNull(),
  validation: text("validation").$type<ValidationMode>().notNull().default("warn"),
  /** An example payload (shown in the catalog, used for mapping previews). */
  sample: json("sample").$type<unknown>(),
  /** Optimistic concurrency, like connectors; compiled validators are cached per (name, version). */
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type EventType = typeof eventTypes.$inferSelect;
export type NewEventType = typeof eventTypes.$inferInsert;
