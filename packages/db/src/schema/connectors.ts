import type { Expect } from "@ib/core/reconciliation";
import { relations, sql } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, json, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "./_columns.ts";

/** HTTP (no `type`, or "http"), or a message broker (DESIGN §13); see `DestinationSchema` in @ib/core. */
export type DestinationColumn =
  | {
      type?: "http";
      url: string;
      method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
      headers?: Record<string, string>;
      query?: Record<string, string>;
      bodyEncoding?: "json" | "form" | "text";
    }
  | { type: "amqp"; url: string; exchange: string; routingKey: string; headers?: Record<string, string> }
  | { type: "nats"; servers: string; subject: string; headers?: Record<string, string> };

export type ExpectColumn = Expect;

export const connectors = pgTable(
  "connectors",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description"),
    enabled: boolean("enabled").notNull().default(true),
    sourceEvent: text("source_event").notNull(),
    destination: jsonb("destination").$type<DestinationColumn>().notNull(),
    /** `json`, not `jsonb`: the mapping's keys are the outgoing body's keys, in the order the admin wrote them. */
    mapping: json("mapping").$type<unknown>(),
    /** Request signing beyond headers, e.g. `{ type: "awsSigV4", region, service, ... }`. */
    auth: jsonb("auth").$type<Record<string, unknown> | null>(),
    /** Which events with the name it takes (DESIGN §10): rules or `{expression}`; null takes every one. */
    filter: jsonb("filter").$type<Record<string, unknown> | null>(),
    /** Reconciliation (`{eventName, key, eventKey, withinMs, compare?}`): what a successful delivery should be followed by. */
    expect: jsonb("expect").$type<ExpectColumn | null>(),
    timeoutMs: integer("timeout_ms").notNull().default(10_000),
    retryMaxAttempts: integer("retry_max_attempts").notNull().default(5),
    retryBackoffBaseMs: integer("retry_backoff_base_ms").notNull().default(1_000),
    retryBackoffMaxMs: integer("retry_backoff_max_ms").notNull().default(3_600_000),
    circuitFailureThreshold: integer("circuit_failure_threshold").notNull().default(10),
    circuitCooldownMs: integer("circuit_cooldown_ms").notNull().default(30_000),
    rateLimitPerSecond: doublePrecision("rate_limit_per_second"),
    maxInFlight: integer("max_in_flight"),
    preset: text("preset"),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    /** `json`, not `jsonb`: the sample is shown and mapped in the order its keys were typed or received. */
    sampleEvent: json("sample_event").$type<unknown>(),
    /** Why the engine (not an admin) disabled it, e.g. the destination answered 410 Gone; null otherwise. */
    disabledReason: text("disabled_reason"),
    disabledAt: ts("disabled_at"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("connectors_source_event_idx").on(t.sourceEvent).where(sql`${t.enabled}`)],
);

export const connectorSecrets = pgTable(
  "connector_secrets",
  {
    id: text("id").primaryKey(),
    connectorId: text("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** base64(iv | authTag | ciphertext), AES-256-GCM under the master key. */
    ciphertext: text("ciphertext").notNull(),
    createdAt: createdAt(),
    rotatedAt: ts("rotated_at"),
  },
  (t) => [uniqueIndex("connector_secrets_connector_name_uq").on(t.connectorId, t.name)],
);

/** Append-only record of secret changes, under the logical provider `INTEGRATION_BUILDER_CONNECTOR:<id>`. */
export const secretAudit = pgTable(
  "secret_audit",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    connectorId: text("connector_id"),
    secretName: text("secret_name").notNull(),
    action: text("action").notNull(),
    actorId: text("actor_id"),
    actorRole: text("actor_role"),
    requestId: text("request_id"),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [index("secret_audit_provider_idx").on(t.provider, t.at)],
);

/** State shared by every worker process: circuit breaker and rate limiter. */
export const connectorRuntime = pgTable("connector_runtime", {
  connectorId: text("connector_id")
    .primaryKey()
    .references(() => connectors.id, { onDelete: "cascade" }),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  circuitState: text("circuit_state").$type<"closed" | "open" | "half_open">().notNull().default("closed"),
  circuitOpenedAt: ts("circuit_opened_at"),
  circuitOpenUntil: ts("circuit_open_until"),
  rateTokens: doublePrecision("rate_tokens"),
  rateUpdatedAt: ts("rate_updated_at"),
  updatedAt: updatedAt(),
});

export const connectorsRelations = relations(connectors, ({ many, one }) => ({
  secrets: many(connectorSecrets),
  runtime: one(connectorRuntime, { fields: [connectors.id], references: [connectorRuntime.connectorId] }),
}));

export const connectorSecretsRelations = relations(connectorSecrets, ({ one }) => ({
  connector: one(connectors, { fields: [connectorSecrets.connectorId], references: [connectors.id] }),
}));

export type Connector = typeof connectors.$inferSelect;
export type NewConnector = typeof connectors.$inferInsert;
export type ConnectorSecret = typeof connectorSecrets.$inferSelect;
export type ConnectorRuntime = typeof connectorRuntime.$inferSelect;
