// Issue 18's "with features" contender: the bench connector as an admin would really configure it — a
// 3-rule filter every bench event passes, a 10-field JSONata mapping, and a 10-property JSON Schema for
// the event name in the catalog in `enforce` mode — on the same events as the plain run, so that the
// ratio of the two runs is the cost of the features and nothing else.
import { TEN_PROPERTY_SCHEMA } from "./catalog-bench.ts";
import { THREE_RULES } from "./filter-bench.ts";
import type { IngestEngine } from "./ingest-engine.ts";
import { benchEvent } from "./load.ts";

export const SOURCE_EVENT = "bench.order.created";

/** The plain connector: the sink as destination and a 5-field JSONPath mapping. */
export function plainConnector(sinkUrl: string) {
  return {
    name: "Bench sink",
    enabled: true,
    sourceEvent: SOURCE_EVENT,
    destination: { url: sinkUrl, method: "POST" as const },
    mapping: {
      eventId: "$.id",
      orderId: "$.payload.orderId",
      customerEmail: "$.payload.customer.email",
      amount: "$.payload.amount.value",
      currency: "$.payload.amount.currency",
    },
    timeoutMs: 10_000,
    retryMaxAttempts: 5,
    retryBackoffBaseMs: 1_000,
  };
}

/** Ten `{% … %}` fields over the bench event: text, arithmetic, dates, aggregates, a condition. */
export const FEATURES_MAPPING = {
  eventId: "{% id %}",
  orderId: "{% payload.orderId %}",
  reference: "{% $uppercase(payload.orderId) & '-' & payload.amount.currency %}",
  amount: "{% payload.amount.value / 100 %}",
  amountWithVat: "{% $round(payload.amount.value * 1.21 / 100, 2) %}",
  currency: "{% $lowercase(payload.amount.currency) %}",
  email: "{% $lowercase(payload.customer.email) %}",
  day: "{% $formatDate(time, '[Y0001]-[M01]-[D01]') %}",
  units: "{% $sum(payload.items.qty) %}",
  size: "{% payload.amount.value >= 2050 ? 'large' : 'small' %}",
};

/**
 * Ten properties describing the bench event's payload (four at the top, six inside them), with the
 * kinds of checks real schemas carry: a pattern, a format, bounds, an enum, an array of objects (the
 * catalog bench's).
 */
export const FEATURES_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["orderId", "customer", "amount", "items"],
  properties: {
    orderId: { type: "string", minLength: 1, maxLength: 64 },
    customer: {
      type: "object",
      required: ["id", "email"],
      properties: {
        id: { type: "string", pattern: "^cus_[0-9]+$" },
        email: { type: "string", format: "email" },
      },
    },
    amount: {
      type: "object",
      required: ["value", "currency"],
      properties: {
        value: { type: "number", minimum: 0 },
        currency: { type: "string", enum: ["EUR", "USD", "BRL"] },
      },
    },
    items: TEN_PROPERTY_SCHEMA.properties.items,
  },
};

/** The connector of the features run: the plain one with the filter and the expression mapping. */
export function featuresConnector(sinkUrl: string) {
  return {
    ...plainConnector(sinkUrl),
    name: "Bench sink with features",
    filter: THREE_RULES,
    mapping: FEATURES_MAPPING,
  };
}

/**
 * Define the event type (enforce) and the features connector, then prove that each feature is really
 * in the path: a payload that breaks the schema is refused, an event the filter rejects gets no
 * delivery, and the mapping renders its ten fields without a warning. Resolves with the connector id.
 */
export async function setUpFeatures(ie: IngestEngine, sinkUrl: string): Promise<string> {
  await ie.admin("PUT", "/event-types", { name: SOURCE_EVENT, schema: FEATURES_SCHEMA, validation: "enforce" }, [201]);
  const connector = await ie.admin<{ id: string }>("PUT", "/connectors", featuresConnector(sinkUrl), [201]);
  const invalid = benchEvent("check_invalid", 1);
  invalid.payload.customer.email = "not an email";
  const refused = await ie.request("POST", "/v1/events", invalid);
  if (refused.status !== 400) throw new Error(`a payload that breaks the schema answered ${refused.status}, not 400`);

  const usd = benchEvent("check_filtered", 2);
  usd.payload.amount.currency = "USD";
  const filtered = await ie.request("POST", "/v1/events", usd);
  const deliveries = (filtered.json as { deliveries?: unknown[] }).deliveries;
  if (filtered.status !== 202 || deliveries?.length !== 0)
    throw new Error(`the filter took an event it should reject: ${filtered.status} ${JSON.stringify(filtered.json)}`);

  const preview = await ie.admin<{ request: { body: string | null }; warnings: string[] }>("POST", "/preview", {
    connectorId: connector.id,
    event: benchEvent("check_preview", 3),
  });
  const body = JSON.parse(preview.request.body ?? "{}") as Record<string, unknown>;
  const expected = { eventId: "check_preview", reference: "ORD_3-EUR", amount: 20.02, currency: "eur", units: 1 };
  const wrong = Object.entries(expected).filter(([k, v]) => body[k] !== v);
  if (Object.keys(body).length !== 10 || wrong.length > 0 || preview.warnings.length > 0)
    throw new Error(
      `the expression mapping rendered ${preview.request.body} (warnings: ${preview.warnings.join("; ")})`,
    );
  return connector.id;
}
