import type { Expect } from "@ib/core/reconciliation";
import type { ConnectorAuth } from "./request-auth.ts";

export const PROVIDER_TYPES = ["payments", "messaging", "maps", "storage", "webhook", "broker"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface HttpPresetDestination {
  type?: "http";
  url: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers?: Record<string, string>;
  query?: Record<string, string>;
  bodyEncoding?: "json" | "form" | "text";
}

/** Where a preset's connector sends: an HTTP API, or a message broker (DESIGN §13). */
export type PresetDestination =
  | HttpPresetDestination
  | { type: "amqp"; url: string; exchange: string; routingKey: string; headers?: Record<string, string> }
  | { type: "nats"; servers: string; subject: string; headers?: Record<string, string> };

/**
 * A ready-made connector for one provider API. Templates use the mapping language (`<<event.…>>`,
 * `<<secret.…>>`, JSONPath) plus `<<param.…>>`, filled in once when a connector is created from it.
 */
export interface Preset {
  id: string;
  providerType: ProviderType;
  /** The provider's name, e.g. "Stripe". */
  provider: string;
  name: string;
  description: string;
  /** The provider's API reference for the call this preset makes. */
  docsUrl: string;
  sourceEvent: string;
  destination: PresetDestination;
  mapping: unknown;
  auth?:
    | ConnectorAuth
    | { type: "awsSigV4"; region: string; service: string; accessKeyIdSecret: string; secretAccessKeySecret: string };
  /** Connector secrets the preset reads: what a person calls it, one sentence of help, its format. */
  secrets: PresetSecret[];
  /** Values that are not secret and differ per account (a sender number, a bucket URL). */
  parameters: PresetParameter[];
  sampleEvent: { name: string; payload: unknown };
  /**
   * Reconciliation (DESIGN §14): the provider's confirmation each successful call should be followed by.
   * Its `eventName` is what an inbound source maps the provider's webhook to (docs/presets.md).
   */
  expect?: Expect;
}

/**
 * Formats the admin checks as you type, with the engine's own rules: `whsec` a Standard Webhooks signing
 * secret (`./signing-secret.ts`, which can also generate one), `url` an http:// or https:// URL.
 */
export const VALUE_FORMATS = ["whsec", "url"] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

export interface PresetSecret {
  /** The key it is stored under (`<<secret.name>>` in templates). */
  name: string;
  /** What a person calls it, e.g. "Stripe secret key". */
  label: string;
  description: string;
  format?: ValueFormat;
}

export interface PresetParameter {
  name: string;
  label: string;
  description: string;
  example: string;
  default?: string;
  format?: ValueFormat;
}
