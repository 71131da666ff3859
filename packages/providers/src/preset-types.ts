import { PROVIDER_TYPES, type ProviderType, VALUE_FORMATS, type ValueFormat } from "@ib/core/contracts/preset";
import type { Expect } from "@ib/core/reconciliation";
import type { ConnectorAuth } from "./request-auth.ts";

export { PROVIDER_TYPES, type ProviderType, VALUE_FORMATS, type ValueFormat };

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
