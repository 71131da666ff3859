import { bigint, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "./_columns.ts";

/**
 * Append-only (WORM). A trigger installed by a custom migration refuses UPDATE and DELETE;
 * `hash` chains each row to the previous one so that tampering behind the trigger is detectable.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    at: ts("at").notNull(),
    actorId: text("actor_id"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    target: text("target"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_action_idx").on(t.action),
    index("audit_log_target_idx").on(t.target),
    index("audit_log_actor_idx").on(t.actorId),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
