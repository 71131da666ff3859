import type { Preset } from "./preset-types.ts";
import { natsJetStreamSubject, rabbitmqExchange } from "./presets/brokers.ts";
import { googleGeocoding, mapboxGeocoding } from "./presets/maps.ts";
import { sendgridMailSend, slackIncomingWebhook, twilioSms } from "./presets/messaging.ts";
import { mercadoPagoPayment, stripePaymentIntent } from "./presets/payments.ts";
import { s3PutObject } from "./presets/storage.ts";
import { httpWebhook, standardWebhooksSigned } from "./presets/webhook.ts";

export * from "./preset-types.ts";

/** Every preset, in gallery order (grouped by provider type). */
export const PRESETS: readonly Preset[] = [
  stripePaymentIntent,
  mercadoPagoPayment,
  slackIncomingWebhook,
  twilioSms,
  sendgridMailSend,
  googleGeocoding,
  mapboxGeocoding,
  s3PutObject,
  httpWebhook,
  standardWebhooksSigned,
  rabbitmqExchange,
  natsJetStreamSubject,
];

export function getPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

export class PresetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PresetError";
  }
}

/** Fields of the connector a preset produces that a caller may replace. */
export interface PresetOverrides {
  name?: string;
  description?: string;
  enabled?: boolean;
  sourceEvent?: string;
  destination?: Partial<Preset["destination"]>;
  mapping?: unknown;
  timeoutMs?: number;
  retryMaxAttempts?: number;
  retryBackoffBaseMs?: number;
  retryBackoffMaxMs?: number;
  rateLimitPerSecond?: number | null;
  tags?: Record<string, string>;
  /** Replaces the preset's `expect` (null: expect nothing). */
  expect?: Preset["expect"] | null;
}

const PARAM = /<<\s*param\.([A-Za-z0-9_]+)\s*>>/g;

function fillParams(value: unknown, params: Record<string, string>): unknown {
  if (typeof value === "string") return value.replace(PARAM, (_, name: string) => params[name] ?? "");
  if (Array.isArray(value)) return value.map((v) => fillParams(v, params));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillParams(v, params)]));
  }
  return value;
}

/**
 * The connector (as the connectors API takes it) that a preset describes, with its parameters filled in
 * and the caller's overrides applied. Throws {@link PresetError} on a missing or unknown parameter.
 */
export function instantiatePreset(
  preset: Preset,
  { parameters = {}, overrides = {} }: { parameters?: Record<string, string>; overrides?: PresetOverrides } = {},
) {
  const known = new Set(preset.parameters.map((p) => p.name));
  const unknown = Object.keys(parameters).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new PresetError(
      `Unknown parameter(s) for preset ${preset.id}: ${unknown.join(", ")}` +
        (known.size ? ` (it takes ${[...known].join(", ")})` : " (it takes none)"),
    );
  }
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const p of preset.parameters) {
    const value = parameters[p.name] ?? p.default;
    if (value === undefined || value === "") missing.push(p.name);
    else if (/<<|>>|\{\{|\}\}/.test(value)) throw new PresetError(`Parameter ${p.name} may not contain a template`);
    else values[p.name] = value;
  }
  if (missing.length) throw new PresetError(`Missing parameter(s) for preset ${preset.id}: ${missing.join(", ")}`);

  const filled = fillParams(
    { destination: preset.destination, mapping: preset.mapping, auth: preset.auth ?? null },
    values,
  ) as { destination: Preset["destination"]; mapping: unknown; auth: Record<string, unknown> | null };
  const { destination: destinationOverride, tags, ...rest } = overrides;
  const destination = {
    ...filled.destination,
    ...destinationOverride,
    ...(filled.destination.headers || destinationOverride?.headers
      ? { headers: { ...filled.destination.headers, ...destinationOverride?.headers } }
      : {}),
    // Query parameters are HTTP's (a broker destination has none: both are undefined there).
    ...(query(filled.destination) || query(destinationOverride)
      ? { query: { ...query(filled.destination), ...query(destinationOverride) } }
      : {}),
  };
  return {
    name: preset.name,
    description: preset.description,
    enabled: true,
    sourceEvent: preset.sourceEvent,
    mapping: filled.mapping,
    ...(filled.auth ? { auth: filled.auth } : {}),
    sampleEvent: preset.sampleEvent,
    ...(preset.expect ? { expect: preset.expect } : {}),
    ...rest,
    destination,
    preset: preset.id,
    tags: { providerType: preset.providerType, ...tags },
  };
}

function query(destination: object | undefined): Record<string, string> | undefined {
  return (destination as { query?: Record<string, string> } | undefined)?.query;
}
