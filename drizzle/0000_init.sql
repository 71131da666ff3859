CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"action" text NOT NULL,
	"target" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"request_id" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connector_runtime" (
	"connector_id" text PRIMARY KEY NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"circuit_state" text DEFAULT 'closed' NOT NULL,
	"circuit_opened_at" timestamp (3) with time zone,
	"circuit_open_until" timestamp (3) with time zone,
	"rate_tokens" double precision,
	"rate_updated_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connector_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"connector_id" text NOT NULL,
	"name" text NOT NULL,
	"ciphertext" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"source_event" text NOT NULL,
	"destination" jsonb NOT NULL,
	"mapping" jsonb,
	"auth" jsonb,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"retry_max_attempts" integer DEFAULT 5 NOT NULL,
	"retry_backoff_base_ms" integer DEFAULT 1000 NOT NULL,
	"retry_backoff_max_ms" integer DEFAULT 3600000 NOT NULL,
	"circuit_failure_threshold" integer DEFAULT 10 NOT NULL,
	"circuit_cooldown_ms" integer DEFAULT 30000 NOT NULL,
	"rate_limit_per_second" double precision,
	"max_in_flight" integer,
	"preset" text,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sample_event" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "secret_audit" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"connector_id" text,
	"secret_name" text NOT NULL,
	"action" text NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"request_id" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"connector_id" text NOT NULL,
	"event_id" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"total_attempts" integer DEFAULT 0 NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp (3) with time zone,
	"locked_by" text,
	"last_error" text,
	"last_status_code" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"connector_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"outcome" text NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"status_code" integer,
	"error" text,
	"duration_ms" integer,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text,
	"payload" jsonb,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idempotency_key" text,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"provider_event_id" text,
	"dedup_key" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raw_body" text NOT NULL,
	"verified" boolean NOT NULL,
	"verification_error" text,
	"status" text NOT NULL,
	"event_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp (3) with time zone,
	"last_error" text,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "integration_registry" (
	"id" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"provider_type" text NOT NULL,
	"connector_id" text NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"overrides" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"ciphertext" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"verifier" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"event_name" text,
	"event_mapping" jsonb,
	"enabled" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "connector_runtime" ADD CONSTRAINT "connector_runtime_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_secrets" ADD CONSTRAINT "connector_secrets_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_webhooks" ADD CONSTRAINT "inbound_webhooks_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_secrets" ADD CONSTRAINT "source_secrets_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "connector_secrets_connector_name_uq" ON "connector_secrets" USING btree ("connector_id","name");--> statement-breakpoint
CREATE INDEX "connectors_source_event_idx" ON "connectors" USING btree ("source_event") WHERE "connectors"."enabled";--> statement-breakpoint
CREATE INDEX "secret_audit_provider_idx" ON "secret_audit" USING btree ("provider","at");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "deliveries" USING btree ("next_attempt_at") WHERE "deliveries"."status" in ('PENDING', 'RETRY_SCHEDULED');--> statement-breakpoint
CREATE INDEX "deliveries_lease_idx" ON "deliveries" USING btree ("locked_until") WHERE "deliveries"."status" = 'PROCESSING';--> statement-breakpoint
CREATE INDEX "deliveries_connector_created_idx" ON "deliveries" USING btree ("connector_id","created_at","id");--> statement-breakpoint
CREATE INDEX "deliveries_connector_status_idx" ON "deliveries" USING btree ("connector_id","status");--> statement-breakpoint
CREATE INDEX "deliveries_event_idx" ON "deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "deliveries_completed_idx" ON "deliveries" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_idx" ON "delivery_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE INDEX "delivery_attempts_connector_started_idx" ON "delivery_attempts" USING btree ("connector_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "events_idempotency_key_uq" ON "events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "events_received_at_idx" ON "events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "events_name_idx" ON "events" USING btree ("name","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_webhooks_dedup_uq" ON "inbound_webhooks" USING btree ("dedup_key");--> statement-breakpoint
CREATE INDEX "inbound_webhooks_source_idx" ON "inbound_webhooks" USING btree ("source_id","received_at");--> statement-breakpoint
CREATE INDEX "inbound_webhooks_pending_idx" ON "inbound_webhooks" USING btree ("received_at") WHERE "inbound_webhooks"."status" = 'RECEIVED';--> statement-breakpoint
CREATE UNIQUE INDEX "integration_registry_active_uq" ON "integration_registry" USING btree ("country","provider_type") WHERE "integration_registry"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "integration_registry_entry_uq" ON "integration_registry" USING btree ("country","provider_type","connector_id");--> statement-breakpoint
CREATE INDEX "source_secrets_source_idx" ON "source_secrets" USING btree ("source_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_role_idx" ON "api_tokens" USING btree ("role");