import { relations, sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "./_columns.ts";

/**
 * Where events come from besides `POST /v1/events`: inbound provider webhooks (`kind` webhook,
 * `POST /v1/webhooks/:sourceId`) and broker queues the engine consumes (`kind` amqp or nats).
 */
export const sources = pgTable("sources", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind").$type<"webhook" | "amqp" | "nats">().notNull().default("webhook"),
  /** Webhook sources only: the signature scheme. */
  verifier: text("verifier"),
  /**
   * Webhook: verifier options (header name, algorithm, encoding, tolerance, event id path, ...).
   * amqp: `{url, queue, prefetch}`; nats: `{servers, stream, consumer}` (URLs may hold `<<secret.x>>`).
   */
  config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
  eventName: text("event_name"),
  eventMapping: jsonb("event_mapping").$type<unknown>(),
  enabled: boolean("enabled").notNull().default(true),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Several secrets may be active at once while a provider rotates its signing secret. */
export const sourceSecrets = pgTable(
  "source_secrets",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    ciphertext: text("ciphertext").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at"),
  },
  (t) => [index("source_secrets_source_idx").on(t.sourceId, t.name)],
);

export const inboundWebhooks = pgTable(
  "inbound_webhooks",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    providerEventId: text("provider_event_id"),
    /** `<sourceId>:<providerEventId>`; a provider's retry of the same event hits this and creates nothing. */
    dedupKey: text("dedup_key"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    rawBody: text("raw_body").notNull(),
    verified: boolean("verified").notNull(),
    verificationError: text("verification_error"),
    status: text("status").$type<"RECEIVED" | "PROCESSED" | "FAILED" | "REJECTED">().notNull(),
    eventId: text("event_id"),
    attempts: integer("attempts").notNull().default(0),
    lockedUntil: ts("locked_until"),
    lastError: text("last_error"),
    receivedAt: ts("received_at").notNull().defaultNow(),
    processedAt: ts("processed_at"),
  },
  (t) => [
    uniqueIndex("inbound_webhooks_dedup_uq").on(t.dedupKey),
    index("inbound_webhooks_source_idx").on(t.sourceId, t.receivedAt),
    index("inbound_webhooks_pending_idx").on(t.receivedAt).where(sql`${t.status} = 'RECEIVED'`),
  ],
);

/**
 * What the process consuming a broker source last said about it (one row per broker source, written by
 * the consumer that holds the source's leader lock, read by `GET …/sources/:id` in any process).
 */
export const sourceRuntime = pgTable("source_runtime", {
  sourceId: text("source_id")
    .primaryKey()
    .references(() => sources.id, { onDelete: "cascade" }),
  state: text("state").$type<"starting" | "consuming" | "reconnecting" | "error" | "stopped">().notNull(),
  error: text("error"),
  /** Messages waiting in the queue / for the consumer, as the broker last reported. */
  pending: integer("pending"),
  lastMessageAt: ts("last_message_at"),
  /** The engine process consuming it (instance:pid:random). */
  consumer: text("consumer"),
  updatedAt: updatedAt(),
});

/** Which connector is active for a country and provider type, with optional policy overrides. */
export const integrationRegistry = pgTable(
  "integration_registry",
  {
    id: text("id").primaryKey(),
    country: text("country").notNull(),
    providerType: text("provider_type").notNull(),
    connectorId: text("connector_id").notNull(),
    active: boolean("active").notNull().default(false),
    overrides: jsonb("overrides").$type<Record<string, unknown>>().notNull().default({}),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("integration_registry_active_uq").on(t.country, t.providerType).where(sql`${t.active}`),
    uniqueIndex("integration_registry_entry_uq").on(t.country, t.providerType, t.connectorId),
  ],
);

export const sourcesRelations = relations(sources, ({ many }) => ({
  secrets: many(sourceSecrets),
  webhooks: many(inboundWebhooks),
}));

export type Source = typeof sources.$inferSelect;
export type SourceRuntime = typeof sourceRuntime.$inferSelect;
export type NewSource = typeof sources.$inferInsert;
export type InboundWebhook = typeof inboundWebhooks.$inferSelect;
export type RegistryEntry = typeof integrationRegistry.$inferSelect;
