CREATE TABLE "source_runtime" (
	"source_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"error" text,
	"pending" integer,
	"last_message_at" timestamp (3) with time zone,
	"consumer" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sources" ALTER COLUMN "verifier" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "kind" text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE "source_runtime" ADD CONSTRAINT "source_runtime_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;