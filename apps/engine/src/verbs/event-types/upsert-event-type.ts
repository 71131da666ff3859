import { type EventType, type EventTypeInputSchema, MAX_SCHEMA_BYTES } from "@ib/core/contracts/catalog";
import { eventTypes } from "@ib/db";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Conflict, Invalid, NotFound, TooLarge } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { announceCatalogChange } from "../catalog/check-event-schema.ts";
import { compileSchema, SchemaCompileError } from "../catalog/compile-schema.ts";
import { auditSnapshot, observedByName, presentEventType } from "./event-type-view.ts";

type Input = z.output<typeof EventTypeInputSchema>;

/**
 * Create an event type (no `version`) or replace one (the `version` the caller read), by name. The schema
 * must compile (ajv 2020-12 or avsc) and be at most 256 KiB; a sample must match it. A stale or missing
 * version is a CONFLICT: the update only applies where the stored version still matches. Audited in the
 * same transaction; every engine process forgets its compiled copy.
 */
export async function upsertEventType({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: Input;
}): Promise<{ eventType: EventType; created: boolean }> {
  const bytes = Buffer.byteLength(JSON.stringify(input.schema));
  if (bytes > MAX_SCHEMA_BYTES) {
    throw new TooLarge(`The schema is ${bytes} bytes; at most ${MAX_SCHEMA_BYTES} (256 KiB) are accepted`, {
      bytes,
      max: MAX_SCHEMA_BYTES,
    });
  }
  let compiled: ReturnType<typeof compileSchema>;
  try {
    compiled = compileSchema(input.schemaFormat, input.schema);
  } catch (error) {
    if (error instanceof SchemaCompileError) throw new Invalid(error.message, { field: "schema" });
    throw error;
  }
  if (input.sample !== undefined && input.sample !== null) {
    const issues = compiled.check(input.sample);
    if (issues.length > 0) {
      const first = issues[0]!;
      throw new Invalid(`The sample does not match the schema: ${first.path || "(root)"} ${first.message}`, {
        field: "sample",
        issues,
      });
    }
  }
  const values = {
    description: input.description ?? null,
    schemaFormat: input.schemaFormat,
    schema: input.schema,
    validation: input.validation,
    sample: input.sample ?? null,
  };

  const result = await withTransaction(ctx, async (tx) => {
    const [current] = await tx.db.select().from(eventTypes).where(eq(eventTypes.name, input.name)).for("update");
    if (!current) {
      if (input.version !== undefined) {
        throw new NotFound(
          `Event type ${input.name} does not exist (it may have been deleted): omit version to create it`,
        );
      }
      const [row] = await tx.db
        .insert(eventTypes)
        .values({ name: input.name, ...values })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new Conflict(`Event type ${input.name} was created meanwhile: reload it and apply your change`);
      await recordAudit({
        ctx: tx,
        input: { action: "event_type.create", target: row.name, details: { version: 1, ...auditSnapshot(row) } },
      });
      return { row, created: true };
    }
    if (input.version !== current.version) {
      throw new Conflict(
        input.version === undefined
          ? `Event type ${input.name} exists (version ${current.version}): send the version you read to replace it`
          : `Event type ${input.name} has changed since you read it (your version ${input.version}, current ${current.version}): reload and apply your change again`,
        { currentVersion: current.version },
      );
    }
    const [row] = await tx.db
      .update(eventTypes)
      .set({ ...values, version: sql`${eventTypes.version} + 1`, updatedAt: new Date() })
      .where(and(eq(eventTypes.name, input.name), eq(eventTypes.version, current.version)))
      .returning();
    if (!row) throw new Conflict(`Event type ${input.name} changed during the update: reload and retry`);
    await recordAudit({
      ctx: tx,
      input: {
        action: "event_type.update",
        target: row.name,
        details: { version: row.version, before: auditSnapshot(current), after: auditSnapshot(row) },
      },
    });
    return { row, created: false };
  });

  await announceCatalogChange(ctx, result.row.name);
  const observed = (await observedByName(ctx.db, [result.row.name])).get(result.row.name);
  return { eventType: presentEventType(result.row, observed), created: result.created };
}
