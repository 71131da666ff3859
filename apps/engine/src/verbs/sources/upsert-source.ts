import { newId } from "@ib/core";
import type { AmqpSourceFields, NatsSourceFields } from "@ib/core/contracts/broker";
import { type Source, sourceSecrets, sources } from "@ib/db";
import { parseVerifierConfig, type VerifierName } from "@ib/providers/verifiers";
import { and, eq, sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Conflict, Invalid, NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { type PublicSource, publicSource } from "./source-view.ts";

interface SourceCommon {
  id?: string;
  version?: number;
  name: string;
  eventName?: string | null;
  eventMapping?: Record<string, string> | null;
  enabled?: boolean;
}

/** A webhook source (`kind` absent or "webhook") or a broker source (`kind` amqp / nats, DESIGN §13). */
export type SourceInput = SourceCommon &
  (
    | { kind?: "webhook"; verifier: VerifierName; config?: Record<string, unknown> }
    | ({ kind: "amqp" } & AmqpSourceFields)
    | ({ kind: "nats" } & NatsSourceFields)
  );

function snapshot(row: Source) {
  return {
    name: row.name,
    kind: row.kind,
    verifier: row.verifier,
    config: row.config,
    eventName: row.eventName,
    eventMapping: row.eventMapping,
    enabled: row.enabled,
  };
}

/**
 * Create a source (no `id`) or update one (`id` + the `version` read: stale → 409). A webhook source's
 * config is validated for its verifier; a broker source keeps its broker settings (consumed by the
 * broker-sources service within a few seconds of the change). At least one of eventName / eventMapping is
 * needed so every webhook or message has a way to become an event. A source's kind never changes.
 */
export async function upsertSource({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: SourceInput;
}): Promise<{ source: PublicSource; created: boolean }> {
  const eventName = input.eventName ?? null;
  const eventMapping = input.eventMapping && Object.keys(input.eventMapping).length ? input.eventMapping : null;
  if (!eventName && !eventMapping) {
    throw new Invalid(
      input.kind === "amqp" || input.kind === "nats"
        ? "Give eventName (every message becomes this event) or eventMapping (routing key / subject → event name), or both"
        : "Give eventName (every webhook becomes this event) or eventMapping (provider event type → event name), or both",
    );
  }
  const values = {
    name: input.name,
    ...kindValues(input),
    eventName,
    eventMapping,
    enabled: input.enabled ?? true,
  };

  return withTransaction(ctx, async (tx) => {
    if (input.id === undefined) {
      const [row] = await tx.db
        .insert(sources)
        .values({ id: newId("source"), ...values })
        .returning();
      if (!row) throw new Error("source insert returned nothing");
      await recordAudit({ ctx: tx, input: { action: "source.create", target: row.id, details: snapshot(row) } });
      return { source: publicSource(row, []), created: true };
    }
    const [current] = await tx.db.select().from(sources).where(eq(sources.id, input.id)).for("update");
    if (!current) throw new NotFound(`Source ${input.id} does not exist`);
    if (current.kind !== values.kind) {
      throw new Invalid(`Source ${input.id} is a ${current.kind} source: its kind cannot change (create another)`);
    }
    if (input.version !== undefined && current.version !== input.version) {
      throw new Conflict(
        `Source ${input.id} has changed since you read it (your version ${input.version}, current ${current.version}): reload and apply your change again`,
        { currentVersion: current.version },
      );
    }
    const [row] = await tx.db
      .update(sources)
      .set({ ...values, version: sql`${sources.version} + 1`, updatedAt: new Date() })
      .where(and(eq(sources.id, input.id), eq(sources.version, current.version)))
      .returning();
    if (!row) throw new Conflict(`Source ${input.id} changed during the update: reload and retry`);
    await recordAudit({
      ctx: tx,
      input: {
        action: "source.update",
        target: row.id,
        details: { version: row.version, before: snapshot(current), after: snapshot(row) },
      },
    });
    const secrets = await tx.db
      .select({
        id: sourceSecrets.id,
        name: sourceSecrets.name,
        createdAt: sourceSecrets.createdAt,
        expiresAt: sourceSecrets.expiresAt,
      })
      .from(sourceSecrets)
      .where(eq(sourceSecrets.sourceId, row.id));
    return { source: publicSource(row, secrets), created: false };
  });
}

/** The kind-specific columns: a webhook's verifier and its checked options, or a broker's settings. */
function kindValues(input: SourceInput): Pick<Source, "kind" | "verifier" | "config"> {
  if (input.kind === "amqp") {
    const { url, queue, prefetch, typeHeader } = input;
    return { kind: "amqp", verifier: null, config: defined({ url, queue, prefetch, typeHeader }) };
  }
  if (input.kind === "nats") {
    const { servers, stream, consumer, prefetch, typeHeader } = input;
    return { kind: "nats", verifier: null, config: defined({ servers, stream, consumer, prefetch, typeHeader }) };
  }
  const config = parseVerifierConfig(input.verifier, input.config ?? {});
  if (!config.ok) throw new Invalid(`Invalid config for verifier ${input.verifier}: ${config.message}`);
  return { kind: "webhook", verifier: input.verifier, config: config.config };
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
