import { createHash } from "node:crypto";
import { canonicalJson } from "@ib/core";
import type { EventType, EventTypeSummary } from "@ib/core/contracts/catalog";
import { type EventType as EventTypeRow, type Executor, events } from "@ib/db";
import { count, inArray, max } from "drizzle-orm";

export interface Observed {
  count: number;
  lastSeenAt: string | null;
}

const NEVER: Observed = { count: 0, lastSeenAt: null };

/** An event type as the API answers with it. */
export function presentEventType(row: EventTypeRow, observed: Observed = NEVER): EventType {
  return {
    name: row.name,
    defined: true,
    description: row.description,
    schemaFormat: row.schemaFormat,
    schema: row.schema,
    validation: row.validation,
    sample: row.sample ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...observed,
  };
}

export function summarizeEventType(row: EventTypeRow, observed: Observed = NEVER): EventTypeSummary {
  return {
    name: row.name,
    defined: true,
    description: row.description,
    schemaFormat: row.schemaFormat,
    validation: row.validation,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    ...observed,
  };
}

/** A name seen at ingest with no catalog entry. */
export function observedOnly(name: string, observed: Observed): EventTypeSummary {
  return {
    name,
    defined: false,
    description: null,
    schemaFormat: null,
    validation: null,
    version: null,
    updatedAt: null,
    ...observed,
  };
}

/**
 * Stored events per name (every name, or the ones given) and the latest `receivedAt`: one grouped scan of
 * `events_name_idx` (retention bounds the table).
 */
export async function observedByName(db: Executor, names?: string[]): Promise<Map<string, Observed>> {
  if (names && names.length === 0) return new Map();
  const rows = await db
    .select({ name: events.name, count: count(), lastSeenAt: max(events.receivedAt) })
    .from(events)
    .where(names ? inArray(events.name, names) : undefined)
    .groupBy(events.name);
  return new Map(
    rows.map((r) => [
      r.name,
      { count: Number(r.count), lastSeenAt: r.lastSeenAt ? new Date(r.lastSeenAt).toISOString() : null },
    ]),
  );
}

/** What the audit log keeps of a type: everything but the schema and sample themselves (their size). */
export function auditSnapshot(row: EventTypeRow) {
  return {
    description: row.description,
    schemaFormat: row.schemaFormat,
    validation: row.validation,
    schemaSha256: createHash("sha256").update(canonicalJson(row.schema)).digest("hex"),
    hasSample: row.sample !== null && row.sample !== undefined,
  };
}
