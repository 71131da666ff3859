CREATE TABLE "integration_builder_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"generated_at" timestamp (3) with time zone NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"connectors_active" integer NOT NULL,
	"connectors_total" integer NOT NULL,
	"success_24h" integer NOT NULL,
	"failure_24h" integer NOT NULL,
	"dlq_open" integer NOT NULL,
	"report_interval_ms" integer,
	"connectors" jsonb
);
--> statement-breakpoint
CREATE INDEX "ib_reports_instance_received_idx" ON "integration_builder_reports" USING btree ("instance_id","received_at");--> statement-breakpoint
CREATE INDEX "ib_reports_received_idx" ON "integration_builder_reports" USING btree ("received_at");