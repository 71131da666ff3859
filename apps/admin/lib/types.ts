import type { ConnectorInputRaw, DestinationSchema, SampleEventSchema } from "@ib/core/connector-schema";
import type { Connector as EngineConnector } from "@ib/core/contracts/connector";
import type { EventRecord as EngineEvent } from "@ib/core/contracts/delivery";
import { DELIVERY_STATUSES, type DeliveryStatus } from "@ib/core/contracts/delivery-status";
import type { ErrorEnvelope as EngineErrorEnvelope } from "@ib/core/contracts/error";
import type { CircuitState, HourlyOutcomes } from "@ib/core/contracts/metrics";
import type { RegistryEntry } from "@ib/core/contracts/registry";
import type { Token } from "@ib/core/contracts/token";
import type { BODY_ENCODINGS, HTTP_METHODS } from "@ib/core/render-request";
import type { z } from "zod";

// Shapes of the engine's answers the admin reads (DESIGN §7). Fields the UI does not depend on are
// left out or optional, so a richer engine answer never breaks the page.

/**
 * The engine's error envelope (`@ib/core/contracts/error`), read leniently: the admin's own proxy answers
 * with it before there is an engine request id, and a newer engine may send a code this build does not know.
 */
export interface ErrorEnvelope {
  error: Omit<EngineErrorEnvelope["error"], "code" | "requestId"> & { code: string; requestId?: string };
}

export interface Me {
  tokenId: string;
  name: string;
  role: string;
  permissions: string[];
}

export type { Token };

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type BodyEncoding = (typeof BODY_ENCODINGS)[number];

export type Destination = z.output<typeof DestinationSchema>;
export type SampleEvent = z.input<typeof SampleEventSchema>;

/** The body of `PUT …/connectors`, before the engine fills in defaults (`@ib/core/connector-schema`). */
export type ConnectorInput = ConnectorInputRaw;

/** A connector as the engine answers with it (`@ib/core/contracts/connector`). */
export type Connector = EngineConnector;

export interface ConnectorSummary {
  success24h?: number;
  failure24h?: number;
  failedAttempts24h?: number;
  dlqOpen?: number;
  circuit?: CircuitState | string | null;
  lastDeliveryAt?: string | null;
}

export interface SecretInfo {
  name: string;
  createdAt?: string;
  updatedAt?: string;
  rotatedAt?: string | null;
}

export interface PreviewResult {
  request: { method: string; url: string; headers: Record<string, string>; body: unknown };
  warnings: Array<string | { message: string; path?: string; code?: string }>;
}

export { DELIVERY_STATUSES, type DeliveryStatus };

export interface Attempt {
  id?: string;
  attempt?: number;
  round?: number;
  outcome?: string;
  statusCode?: number | null;
  number?: number;
  request?: { method?: string; url?: string; headers?: Record<string, string>; body?: unknown } | null;
  response?: { status?: number; headers?: Record<string, string>; body?: unknown } | null;
  error?: string | null;
  durationMs?: number | null;
  startedAt?: string;
}

export interface Delivery {
  id: string;
  connectorId: string;
  eventId: string;
  eventName?: string;
  status: DeliveryStatus;
  attempts: number | Attempt[];
  totalAttempts?: number;
  round?: number;
  attemptLog?: Attempt[];
  nextAttemptAt?: string | null;
  lastError?: string | null;
  lastStatusCode?: number | null;
  createdAt: string;
  updatedAt?: string;
  completedAt?: string | null;
}

export type { CircuitState };

/** One hour of outcomes (`@ib/core/contracts/metrics`); `failedAttempts` is absent from older engines. */
export type MetricsBucket = Omit<HourlyOutcomes, "failedAttempts"> & Partial<Pick<HourlyOutcomes, "failedAttempts">>;

export interface Metrics {
  counts?: Partial<Record<DeliveryStatus, number>>;
  byStatus?: Partial<Record<DeliveryStatus, number>>;
  /** Deliveries that ended successfully in the last 24 h. */
  success24h: number;
  /** Deliveries that ended failed (FAILED or DLQ) in the last 24 h, even if retried since. */
  failure24h: number;
  /** Attempts in the last 24 h that did not succeed (absent from older engines). */
  failedAttempts24h?: number;
  attempts24h?: number;
  successRate?: number | null;
  latency?: { p50: number | null; p95: number | null; p99: number | null };
  latencyMs?: { p50: number | null; p95: number | null; p99: number | null };
  dlqOpen: number;
  circuit?: CircuitState | { state: CircuitState; [k: string]: unknown } | null;
  circuitState?: CircuitState | null;
  hourly?: MetricsBucket[];
  connectorsActive?: number;
  connectorsTotal?: number;
  connectors?: Array<{ connectorId?: string; id?: string } & Partial<Metrics>>;
}

/** An event with its deliveries (`@ib/core/contracts/delivery`). */
export type EventRecord = EngineEvent;

export interface Preset {
  id: string;
  name: string;
  provider?: string;
  providerType: string;
  description: string;
  sourceEvent?: string;
  secrets: Array<{ name: string; description?: string }>;
  parameters?: Array<{ name: string; description: string; example?: string; default?: string }>;
  docsUrl?: string;
  destination?: Destination;
  mapping?: unknown;
  sampleEvent?: SampleEvent;
  [key: string]: unknown;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const VERIFIERS = ["stripe", "github", "standard-webhooks", "shopify", "generic-hmac"] as const;

export interface Source {
  id: string;
  name: string;
  verifier: (typeof VERIFIERS)[number];
  config: Record<string, unknown>;
  eventName: string | null;
  eventMapping: Record<string, string> | null;
  enabled: boolean;
  version: number;
  path: string;
  secrets: Array<{ id: string; name: string; createdAt: string; expiresAt: string | null; active: boolean }>;
  createdAt: string;
  updatedAt: string;
}

export interface InboundWebhook {
  id: string;
  sourceId: string;
  providerEventId: string | null;
  verified: boolean;
  verificationError: string | null;
  status: "RECEIVED" | "PROCESSED" | "FAILED" | "REJECTED";
  eventId: string | null;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
}

export type { RegistryEntry };
