import type { ConnectorAuth, SampleEvent } from "@ib/core/connector-schema";
import { isBrokerDestination } from "@ib/core/contracts/broker";
import type { ConnectorFilter } from "@ib/core/filters";
import { type Connector, type ConnectorSecret, connectorSecrets, type Executor } from "@ib/db";
import { asc, inArray } from "drizzle-orm";

export interface SecretName {
  name: string;
  createdAt: string;
  rotatedAt: string | null;
}

/** A connector as the API shows it: every column, dates as ISO strings, and its secrets' names only. */
export function publicConnector(row: Connector, secrets: SecretName[]) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    sourceEvent: row.sourceEvent,
    destination: isBrokerDestination(row.destination)
      ? row.destination
      : { ...row.destination, bodyEncoding: row.destination.bodyEncoding ?? "json" },
    mapping: row.mapping ?? null,
    auth: (row.auth ?? null) as ConnectorAuth | null,
    timeoutMs: row.timeoutMs,
    retryMaxAttempts: row.retryMaxAttempts,
    retryBackoffBaseMs: row.retryBackoffBaseMs,
    retryBackoffMaxMs: row.retryBackoffMaxMs,
    circuitFailureThreshold: row.circuitFailureThreshold,
    circuitCooldownMs: row.circuitCooldownMs,
    rateLimitPerSecond: row.rateLimitPerSecond,
    maxInFlight: row.maxInFlight,
    preset: row.preset,
    tags: row.tags,
    sampleEvent: (row.sampleEvent ?? null) as SampleEvent | null,
    filter: (row.filter ?? null) as ConnectorFilter | null,
    expect: row.expect ?? null,
    /** Why the engine disabled it (a destination answered 410 Gone); null otherwise. Cleared on enabling. */
    disabledReason: row.disabledReason ?? null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    secrets,
  };
}

export type PublicConnector = ReturnType<typeof publicConnector>;

export function secretName(row: Pick<ConnectorSecret, "name" | "createdAt" | "rotatedAt">): SecretName {
  return { name: row.name, createdAt: row.createdAt.toISOString(), rotatedAt: row.rotatedAt?.toISOString() ?? null };
}

/** Secret names (never values) of some connectors, by connector id. */
export async function secretNamesOf(db: Executor, connectorIds: string[]): Promise<Map<string, SecretName[]>> {
  const byConnector = new Map<string, SecretName[]>();
  if (connectorIds.length === 0) return byConnector;
  const rows = await db
    .select({
      connectorId: connectorSecrets.connectorId,
      name: connectorSecrets.name,
      createdAt: connectorSecrets.createdAt,
      rotatedAt: connectorSecrets.rotatedAt,
    })
    .from(connectorSecrets)
    .where(inArray(connectorSecrets.connectorId, connectorIds))
    .orderBy(asc(connectorSecrets.name));
  for (const row of rows) {
    const list = byConnector.get(row.connectorId) ?? [];
    list.push(secretName(row));
    byConnector.set(row.connectorId, list);
  }
  return byConnector;
}

// Header names whose literal values are credentials: the audit log keeps only whether they changed.
const SENSITIVE_HEADER = /auth|key|token|secret|passw|signature|cookie|credential/i;
const SECRET_PLACEHOLDER = /(?:<<|\{\{)\s*[&{]?\s*secret\./;
const AUDIT_MASK = "••••••";

/** The connector's fields as the audit log records them (literal credential-like header values masked). */
export function auditSnapshot(connector: PublicConnector | null): Record<string, unknown> | null {
  if (!connector) return null;
  const { secrets: _secrets, createdAt: _c, updatedAt: _u, ...fields } = connector;
  const headers = fields.destination.headers;
  if (headers) {
    const masked = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        SENSITIVE_HEADER.test(name) && !SECRET_PLACEHOLDER.test(value) ? AUDIT_MASK : value,
      ]),
    );
    return { ...fields, destination: { ...fields.destination, headers: masked } };
  }
  return fields;
}

/** `{field: {before, after}}` for every field that differs. */
export function diff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[key] = { before: a, after: b };
  }
  return changes;
}
