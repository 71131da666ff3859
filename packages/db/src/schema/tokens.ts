import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./_columns.ts";

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    /** sha-256 of the token, hex. The token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, to help people recognise it in a list. */
    prefix: text("prefix").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("api_tokens_hash_uq").on(t.tokenHash), index("api_tokens_role_idx").on(t.role)],
);

export type ApiToken = typeof apiTokens.$inferSelect;
