import { bigint, integer, pgTable } from "drizzle-orm/pg-core";

/**
 * One row whose `version` goes up (by trigger, in the same transaction) whenever something ingest routing
 * reads changes: a connector (enabled, source event, tags, filter, expect, ...) or an Integration Registry
 * entry. Ingest caches the routing (name → connectors) under the version it read and writes an event only
 * while the version it routed with is still current, in the same statement: a change made by any process is
 * seen by the next event, never later.
 */
export const routingVersion = pgTable("routing_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull(),
});
