import { connectorSecretNames, type SampleEvent } from "@ib/core/connector-schema";
import { type BrokerDestination, isBrokerDestination } from "@ib/core/contracts/broker";
import { exampleEventName, matchesSourceEvent } from "@ib/core/event-match";
import type { RequestPlan } from "@ib/core/expressions";
import { type CompiledFilter, compileFilter, type FilterOutcome } from "@ib/core/filters";
import { MappingError, SECRET_MASK } from "@ib/core/mapping";
import { type MappingFieldResult, renderMappingFields } from "@ib/core/mapping-fields";
import { type DestinationSpec, type EventEnvelope, type RenderedRequest, renderRequest } from "@ib/core/render-request";
import { SIGNING_SECRET_NAME, SigningSecretError } from "@ib/core/signing";
import { connectors } from "@ib/db";
import { RequestAuthError } from "@ib/providers/request-auth";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { Invalid, NotFound, Unprocessable } from "../../lib/domain-errors.ts";
import { maskSignature, type RequestPair, withAuth, withDeliveryHeaders } from "../../worker/send-once.ts";
import { destinationPolicy } from "../../worker/ssrf-guard.ts";
import type { ShownMessage } from "../../worker/transports/broker.ts";
import { loadConnectorSecrets } from "../secrets/load-connector-secrets.ts";
import { checkDestination } from "./check-destination.ts";
import { previewBrokerMessage } from "./preview-broker.ts";

/** The parts of a connector preview needs (a saved row or an unsaved draft). */
export interface PreviewableConnector {
  id?: string;
  enabled?: boolean;
  sourceEvent: string;
  destination: DestinationSpec | BrokerDestination;
  mapping?: unknown;
  auth?: Record<string, unknown> | null;
  sampleEvent?: SampleEvent | null;
  filter?: unknown;
}

export interface PreviewInput {
  connectorId?: string;
  connector?: PreviewableConnector;
  event?: SampleEvent;
  /** Also render each field of the mapping on its own (the visual mapper's per-row results). */
  fields?: boolean;
}

export interface PreviewResult {
  request: Omit<RenderedRequest, "body"> & { body: string | null };
  /** Broker destinations: where the message would go. */
  message?: Pick<ShownMessage, "transport" | "exchange" | "routingKey" | "subject" | "properties">;
  warnings: string[];
  event: EventEnvelope;
  secrets: { used: string[]; missing: string[] };
  filter: Pick<FilterOutcome, "matched" | "reason">;
  fields?: MappingFieldResult[];
}

/**
 * Render exactly what a connector would send for an event — method, final URL, headers, encoded body —
 * with every secret masked, and warn about missing event paths, secrets not set and a destination the
 * SSRF policy would refuse. No request is sent (only the destination's name is resolved).
 */
export async function previewConnector({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: PreviewInput;
}): Promise<PreviewResult> {
  const warnings: string[] = [];
  let connector: PreviewableConnector;
  let secretsOf: string | undefined;
  let compiled: { plan?: RequestPlan; filter: CompiledFilter } | undefined;
  if (input.connectorId) {
    const [row] = await ctx.db.select().from(connectors).where(eq(connectors.id, input.connectorId)).limit(1);
    if (!row) throw new NotFound(`Connector ${input.connectorId} does not exist`);
    connector = { ...row, sampleEvent: row.sampleEvent as SampleEvent | null };
    secretsOf = row.id;
    // A saved connector previews with what ingest and the worker use: compiled once per version.
    compiled = { plan: ctx.app.compiled.plan(row), filter: ctx.app.compiled.filter(row) };
  } else if (input.connector) {
    connector = input.connector;
    // An unsaved edit of a saved connector previews with that connector's secrets.
    if (connector.id) {
      const [row] = await ctx.db
        .select({ id: connectors.id })
        .from(connectors)
        .where(eq(connectors.id, connector.id))
        .limit(1);
      if (row) secretsOf = row.id;
      else warnings.push(`Connector ${connector.id} is not saved yet: no secrets are available to it`);
    }
  } else {
    throw new Invalid("Send connectorId (a saved connector) or connector (an unsaved one)");
  }

  const secrets = secretsOf ? await loadConnectorSecrets({ ctx, input: { connectorId: secretsOf } }) : {};
  const sample = input.event ?? connector.sampleEvent ?? undefined;
  if (!sample) warnings.push("No event given and the connector has no sampleEvent: rendered against an empty payload");
  const event: EventEnvelope = {
    id: sample?.id ?? "evt_preview",
    name: sample?.name ?? exampleEventName(connector.sourceEvent),
    source: sample?.source ?? null,
    time: sample?.time ?? new Date().toISOString(),
    payload: sample?.payload ?? {},
  };
  if (!matchesSourceEvent(connector.sourceEvent, event.name)) {
    warnings.push(
      `The event is named ${event.name}, which sourceEvent ${connector.sourceEvent} does not match: this connector would not receive it`,
    );
  }
  if (connector.enabled === false) warnings.push("The connector is disabled: it delivers nothing until enabled");

  // A draft's expressions and filter are compiled for this preview only.
  const outcome = await (compiled?.filter ?? compileFilter(connector.filter)).test(event);
  if (!outcome.matched) warnings.push(`The filter rejects this event: ${outcome.reason}`);

  // Each field alone, so one field's error still lets the others show their values (and rides on a 422).
  const fields = input.fields ? await renderMappingFields({ mapping: connector.mapping, event, secrets }) : undefined;
  const withFields = fields ? { fields } : {};

  const { destination } = connector;
  if (isBrokerDestination(destination)) {
    const broker = await previewBroker({
      ctx,
      connector: { ...connector, destination },
      event,
      secrets,
      warnings,
      outcome,
    });
    return { ...broker, ...withFields };
  }
  let rendered: Awaited<ReturnType<typeof renderRequest>>;
  try {
    rendered = await renderRequest({
      destination,
      mapping: connector.mapping,
      event,
      secrets,
      missingSecret: "warn",
      plan: compiled?.plan,
    });
  } catch (error) {
    if (error instanceof MappingError) {
      throw new Unprocessable(maskSecrets(error.message, secrets), { mappingError: error.code, ...withFields });
    }
    throw error;
  }
  warnings.push(...rendered.warnings);

  const referenced = connectorSecretNames({
    destination: connector.destination,
    mapping: connector.mapping,
    auth: connector.auth ?? null,
  });
  const missing = referenced.filter((name) => !Object.hasOwn(secrets, name));
  for (const name of missing) {
    if (!rendered.missingSecrets.includes(name))
      warnings.push(`Secret "${name}" (used by auth) is not set on this connector`);
  }

  const request = completeRequest({
    rendered,
    auth: connector.auth,
    secrets,
    warnings,
    authWarned: missing.length > 0,
  });

  const refusal = await checkDestination(rendered.request.url, {
    allowPrivate: ctx.app.env.IB_ALLOW_PRIVATE_DESTINATIONS,
    allowlist: ctx.app.env.IB_DESTINATION_ALLOWLIST,
  });
  if (refusal) warnings.push(`The destination would be refused: ${refusal}`);

  return {
    request: { ...request, body: request.body ?? null },
    warnings: warnings.map((w) => maskSecrets(w, secrets)),
    event,
    secrets: { used: referenced.filter((name) => Object.hasOwn(secrets, name)), missing },
    filter: { matched: outcome.matched, reason: maskSecrets(outcome.reason, secrets) },
    ...withFields,
  };
}

/** The preview of a broker destination: the message it would publish, and where. */
async function previewBroker(input: {
  ctx: ServiceContext;
  connector: PreviewableConnector & { destination: BrokerDestination };
  event: EventEnvelope;
  secrets: Record<string, string>;
  warnings: string[];
  outcome: FilterOutcome;
}): Promise<PreviewResult> {
  const { connector, event, secrets, warnings, outcome } = input;
  let previewed: Awaited<ReturnType<typeof previewBrokerMessage>>;
  try {
    previewed = await previewBrokerMessage({
      destination: connector.destination,
      mapping: connector.mapping,
      event,
      secrets,
      policy: destinationPolicy(input.ctx.app.env),
    });
  } catch (error) {
    if (error instanceof MappingError) {
      throw new Unprocessable(maskSecrets(error.message, secrets), { mappingError: error.code });
    }
    throw error;
  }
  const referenced = connectorSecretNames({ destination: connector.destination, mapping: connector.mapping });
  const { method, url, headers, body, transport, exchange, routingKey, subject, properties } = previewed.message;
  return {
    request: { method, url, headers, body },
    message: { transport, exchange, routingKey, subject, properties },
    warnings: [...warnings, ...previewed.warnings].map((w) => maskSecrets(w, secrets)),
    event,
    secrets: {
      used: referenced.filter((name) => Object.hasOwn(secrets, name)),
      missing: referenced.filter((name) => !Object.hasOwn(secrets, name)),
    },
    filter: { matched: outcome.matched, reason: maskSecrets(outcome.reason, secrets) },
  };
}

/** Stands in for the delivery id in preview (`Idempotency-Key`, `webhook-id`); each delivery has its own. */
export const PREVIEW_DELIVERY_ID = "dlv_preview";

/**
 * The rendered request with what the worker adds — the delivery headers, the signature (masked: it is
 * computed from a secret) and the connector's auth — by the worker's own functions, so preview is what is
 * sent but for the delivery id and the time. What would make a delivery fail here becomes a warning.
 */
function completeRequest(input: {
  rendered: RequestPair;
  auth: unknown;
  secrets: Record<string, string>;
  warnings: string[];
  /** A secret the auth reads is missing, and already warned about. */
  authWarned: boolean;
}): RenderedRequest {
  const { secrets, warnings } = input;
  let pair = input.rendered;
  try {
    pair = withDeliveryHeaders({ id: PREVIEW_DELIVERY_ID, pair, secrets });
  } catch (error) {
    if (!(error instanceof SigningSecretError)) throw error;
    warnings.push(`Deliveries would fail: the signing secret is not usable (${error.message})`);
    const { [SIGNING_SECRET_NAME]: _unusable, ...others } = secrets;
    pair = withDeliveryHeaders({ id: PREVIEW_DELIVERY_ID, pair, secrets: others });
  }
  try {
    pair = withAuth({ pair, auth: input.auth, secrets });
  } catch (error) {
    if (!(error instanceof RequestAuthError)) throw error;
    if (!input.authWarned) warnings.push(`Deliveries would fail: ${error.message}`);
  }
  return { ...pair.redacted, headers: maskSignature(pair.redacted.headers) };
}

function maskSecrets(text: string, secrets: Record<string, string>): string {
  let out = text;
  const values = Object.values(secrets)
    .filter((v) => v.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const value of values) {
    for (const spelling of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
      if (out.includes(spelling)) out = out.split(spelling).join(SECRET_MASK);
    }
  }
  return out;
}
