CREATE TABLE "event_types" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text,
	"schema_format" text NOT NULL,
	"schema" json NOT NULL,
	"validation" text DEFAULT 'warn' NOT NULL,
	"sample" json,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replays" (
	"id" text PRIMARY KEY NOT NULL,
	"connector_id" text,
	"from_time" timestamp (3) with time zone NOT NULL,
	"to_time" timestamp (3) with time zone NOT NULL,
	"event_name" text,
	"event_id" text,
	"only_undelivered" boolean DEFAULT false NOT NULL,
	"source_event" text NOT NULL,
	"filter" jsonb,
	"state" text DEFAULT 'running' NOT NULL,
	"planned" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"cursor_at" timestamp (3) with time zone,
	"cursor_id" text,
	"locked_by" text,
	"locked_until" timestamp (3) with time zone,
	"error" text,
	"actor_id" text,
	"actor_role" text,
	"request_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "replay_id" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "schema_valid" boolean;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "dataschema" text;--> statement-breakpoint
ALTER TABLE "replays" ADD CONSTRAINT "replays_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "replays_running_idx" ON "replays" USING btree ("locked_until") WHERE "replays"."state" = 'running';--> statement-breakpoint
CREATE INDEX "replays_connector_idx" ON "replays" USING btree ("connector_id","created_at");--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_replay_id_replays_id_fk" FOREIGN KEY ("replay_id") REFERENCES "public"."replays"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_replay_idx" ON "deliveries" USING btree ("replay_id","status") WHERE "deliveries"."replay_id" is not null;--> statement-breakpoint
CREATE INDEX "events_schema_invalid_idx" ON "events" USING btree ("received_at") WHERE "events"."schema_valid" = false;