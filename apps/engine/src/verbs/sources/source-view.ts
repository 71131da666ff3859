import type { InboundWebhook, Source } from "@ib/db";
import type { VerifierName } from "@ib/providers/verifiers";

export interface SourceSecretRow {
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface PublicSource {
  id: string;
  name: string;
  verifier: VerifierName;
  config: Record<string, unknown>;
  eventName: string | null;
  eventMapping: Record<string, string> | null;
  enabled: boolean;
  version: number;
  /** Where the provider must send its webhooks (relative to the engine's public URL). */
  path: string;
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

export function publicSource(row: Source, secrets: SourceSecretRow[], now = new Date()): PublicSource {
  return {
    id: row.id,
    name: row.name,
    verifier: row.verifier as VerifierName,
    config: row.config,
    eventName: row.eventName,
    eventMapping: (row.eventMapping as Record<string, string> | null) ?? null,
    enabled: row.enabled,
    version: row.version,
    path: webhookPath(row.id),
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
