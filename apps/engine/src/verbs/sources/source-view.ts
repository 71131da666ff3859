import type { AmqpSourceFields, NatsSourceFields, SourceKind, SourceRuntime } from "@ib/core/contracts/broker";
import type { InboundWebhook, Source, SourceRuntime as SourceRuntimeRow } from "@ib/db";
import type { VerifierName } from "@ib/providers/verifiers";

export interface SourceSecretRow {
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** A broker source's settings, echoed flat as `PUT …/sources` takes them. */
type BrokerFields = Partial<AmqpSourceFields & NatsSourceFields>;

export interface PublicSource extends BrokerFields {
  id: string;
  name: string;
  kind: SourceKind;
  verifier: VerifierName | null;
  config: Record<string, unknown>;
  eventName: string | null;
  eventMapping: Record<string, string> | null;
  enabled: boolean;
  version: number;
  /** Where the provider must send its webhooks (relative to the engine's public URL); null for brokers. */
  path: string | null;
  /** Broker sources: their consumer's state as last reported; null for webhooks. */
  runtime: SourceRuntime | null;
  /** Secret metadata only: values are never returned. */
  secrets: { id: string; name: string; createdAt: string; expiresAt: string | null; active: boolean }[];
  createdAt: string;
  updatedAt: string;
}

export function webhookPath(sourceId: string) {
  return `/v1/webhooks/${sourceId}`;
}

export function isActiveSecret(secret: { expiresAt: Date | null }, now = new Date()) {
  return secret.expiresAt === null || secret.expiresAt.getTime() > now.getTime();
}

/** A consumer that has not reported for this long is gone (its process died or stopped). */
export const RUNTIME_STALE_MS = 30_000;

/**
 * What the API says about a broker source's consumer: its last report, unless the source is disabled or
 * the report is stale (no process consumes it now), which read as `stopped`.
 */
export function runtimeView(
  row: Source,
  runtime: SourceRuntimeRow | undefined,
  now = new Date(),
): SourceRuntime | null {
  if (row.kind === "webhook") return null;
  const base = {
    pending: runtime?.pending ?? null,
    lastMessageAt: runtime?.lastMessageAt?.toISOString() ?? null,
    consumedBy: runtime?.consumer ?? null,
    updatedAt: runtime?.updatedAt.toISOString() ?? null,
  };
  if (!row.enabled) return { ...base, state: "stopped", error: null, consumedBy: null };
  if (!runtime) return { ...base, state: "stopped", error: "No worker process has taken it yet" };
  if (runtime.state !== "stopped" && now.getTime() - runtime.updatedAt.getTime() > RUNTIME_STALE_MS) {
    return { ...base, state: "stopped", error: "No worker process is consuming it (its last report is stale)" };
  }
  if (runtime.state === "stopped") {
    return { ...base, state: "stopped", error: runtime.error ?? "No worker process is consuming it", consumedBy: null };
  }
  return { ...base, state: runtime.state, error: runtime.error };
}

export function publicSource(
  row: Source,
  secrets: SourceSecretRow[],
  runtime?: SourceRuntimeRow,
  now = new Date(),
): PublicSource {
  const broker = row.kind === "webhook" ? {} : brokerFields(row.config);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    verifier: (row.verifier as VerifierName | null) ?? null,
    config: row.config,
    ...broker,
    eventName: row.eventName,
    eventMapping: (row.eventMapping as Record<string, string> | null) ?? null,
    enabled: row.enabled,
    version: row.version,
    path: row.kind === "webhook" ? webhookPath(row.id) : null,
    runtime: runtimeView(row, runtime, now),
    secrets: secrets
      .filter((s) => s)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((s) => ({
        id: s.id,
        name: s.name,
        createdAt: s.createdAt.toISOString(),
        expiresAt: s.expiresAt?.toISOString() ?? null,
        active: isActiveSecret(s, now),
      })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A broker source's settings as flat fields (what `PUT …/sources` takes back). */
function brokerFields(config: Record<string, unknown>): BrokerFields {
  const out: Record<string, unknown> = {};
  for (const key of ["url", "queue", "servers", "stream", "consumer", "prefetch", "typeHeader"]) {
    if (config[key] !== undefined) out[key] = config[key];
  }
  return out as BrokerFields;
}

/** An inbound webhook without its raw body and headers (those need `integrations.webhooks.raw.read`). */
export function webhookSummary(row: Omit<InboundWebhook, "rawBody" | "headers">) {
  return {
    id: row.id,
    sourceId: row.sourceId,
    providerEventId: row.providerEventId,
    verified: row.verified,
    verificationError: row.verificationError,
    status: row.status,
    eventId: row.eventId,
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
  };
}
