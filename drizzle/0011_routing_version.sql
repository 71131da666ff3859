CREATE TABLE "routing_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "routing_version" ("id", "version") VALUES (1, 1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION "ib_bump_routing_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO "routing_version" ("id", "version") VALUES (1, 1)
	ON CONFLICT ("id") DO UPDATE SET "version" = "routing_version"."version" + 1;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "connectors_routing_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "connectors"
	FOR EACH STATEMENT EXECUTE FUNCTION "ib_bump_routing_version"();
--> statement-breakpoint
CREATE TRIGGER "integration_registry_routing_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "integration_registry"
	FOR EACH STATEMENT EXECUTE FUNCTION "ib_bump_routing_version"();
