ALTER TABLE "connectors" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "disabled_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "wait_reason" text;