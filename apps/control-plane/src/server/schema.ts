import type { AcceptedConnector, AcceptedHourly } from "@ib/core/contracts/report";
import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** Stored as the control plane accepted them (`failedAttempts…` absent from older engines). */
export type HourlyCount = AcceptedHourly;
export type ReportedConnector = AcceptedConnector;

/** IntegrationBuilderReport: one pushed report of one engine instance, kept for 30 days. */
export const integrationBuilderReports = pgTable(
  "integration_builder_reports",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id").notNull(),
    /** The instance's human name (`IB_INSTANCE_NAME`, default the host name); null from older engines. */
    instanceName: text("instance_name"),
    generatedAt: ts("generated_at").notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    connectorsActive: integer("connectors_active").notNull(),
    connectorsTotal: integer("connectors_total").notNull(),
    success24h: integer("success_24h").notNull(),
    failure24h: integer("failure_24h").notNull(),
    /** Attempts that did not succeed in the 24 h before the report; null from engines that do not send it. */
    failedAttempts24h: integer("failed_attempts_24h"),
    dlqOpen: integer("dlq_open").notNull(),
    /** Reconciliation expectations in MISSING now (DESIGN §14); null from engines that do not send it. */
    expectationsMissing: integer("expectations_missing"),
    /** How often the instance says it reports; decides when it counts as stale. */
    reportIntervalMs: integer("report_interval_ms"),
    connectors: jsonb("connectors").$type<ReportedConnector[] | null>(),
    /** Per hour over the 24 h before the report (deliveries ended successfully / failed, failed attempts), when sent. */
    hourly: jsonb("hourly").$type<HourlyCount[] | null>(),
  },
  (t) => [
    index("ib_reports_instance_received_idx").on(t.instanceId, t.receivedAt),
    index("ib_reports_received_idx").on(t.receivedAt),
  ],
);

export type IntegrationBuilderReport = typeof integrationBuilderReports.$inferSelect;
export type NewIntegrationBuilderReport = typeof integrationBuilderReports.$inferInsert;
