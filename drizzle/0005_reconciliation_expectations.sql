CREATE TABLE "expectations" (
	"id" text PRIMARY KEY NOT NULL,
	"connector_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_name" text NOT NULL,
	"event_key" text NOT NULL,
	"key" text,
	"key_error" text,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"expected" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"observed_event_id" text,
	"observed" jsonb,
	"late" boolean DEFAULT false NOT NULL,
	"opened_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"missing_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "unexpected_events" (
	"id" text PRIMARY KEY NOT NULL,
	"connector_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_name" text NOT NULL,
	"key" text,
	"reason" text NOT NULL,
	"expectation_id" text,
	"resolved_at" timestamp (3) with time zone,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "expect" jsonb;--> statement-breakpoint
ALTER TABLE "expectations" ADD CONSTRAINT "expectations_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unexpected_events" ADD CONSTRAINT "unexpected_events_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "expectations_delivery_uq" ON "expectations" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "expectations_match_idx" ON "expectations" USING btree ("event_name","key");--> statement-breakpoint
CREATE INDEX "expectations_status_due_idx" ON "expectations" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "expectations_opened_idx" ON "expectations" USING btree ("opened_at","id");--> statement-breakpoint
CREATE INDEX "expectations_connector_opened_idx" ON "expectations" USING btree ("connector_id","opened_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "unexpected_events_event_connector_uq" ON "unexpected_events" USING btree ("event_id","connector_id");--> statement-breakpoint
CREATE INDEX "unexpected_events_match_idx" ON "unexpected_events" USING btree ("connector_id","event_name","key") WHERE "unexpected_events"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "unexpected_events_received_idx" ON "unexpected_events" USING btree ("received_at","id");