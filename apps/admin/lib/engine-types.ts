// Names for the engine's shapes the admin reads and sends, all taken from the generated OpenAPI types
// (`engine-api.generated.ts`, `npm run gen:client`): a change to the engine's API shows up here as a type error.
import type { components, paths } from "./engine-api.generated";

type Schemas = components["schemas"];
type Ok<Answers> = Answers extends { 200: { content: { "application/json": infer T } } }
  ? T
  : Answers extends { 201: { content: { "application/json": infer T } } }
    ? T
    : never;

/** The JSON a 200 (or else 201) answer of `method path` carries. */
export type EngineAnswer<P extends keyof paths, M extends "get" | "put" | "post" | "delete"> = paths[P][M] extends {
  responses: infer R;
}
  ? Ok<R>
  : never;
/** The query parameters of `GET path`. */
export type EngineQuery<P extends keyof paths> = paths[P]["get"] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;
/** The JSON body of `method path`. */
export type EngineBody<P extends keyof paths, M extends "put" | "post"> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export type ErrorEnvelope = Schemas["Error"];
export type Me = Schemas["Me"];
export type Permission = Me["permissions"][number];
export type Token = Schemas["Token"];
export type Role = Schemas["CreateToken"]["role"];
export type AuditEntry = Schemas["AuditEntry"];

export type Connector = Schemas["Connector"];
export type ConnectorInput = Schemas["ConnectorInput"];
/** An HTTP destination (the editor's form); a broker one (DESIGN §13) is `BrokerDestination`. */
export type Destination = Exclude<Connector["destination"], { type: "amqp" | "nats" }>;
export type BrokerDestination = Extract<Connector["destination"], { type: "amqp" | "nats" }>;
export type HttpMethod = NonNullable<Destination["method"]>;
export type BodyEncoding = NonNullable<Destination["bodyEncoding"]>;
export type SecretInfo = Schemas["SecretName"];
export type PreviewRequest = Schemas["PreviewRequest"];
export type PreviewResult = Schemas["Preview"];

export type Delivery = Schemas["Delivery"];
export type DeliveryStatus = Delivery["status"];
/** One delivery with its event and connector name (`GET …/deliveries/{id}`). */
export type DeliveryDetail = EngineAnswer<"/admin/integration-builder/deliveries/{id}", "get">;
export type Attempt = Schemas["DeliveryAttempt"];
export type EventRecord = Schemas["Event"];
export type IngestResult = Schemas["IngestResult"];

export type GlobalMetrics = Schemas["GlobalMetrics"];
export type ConnectorMetrics = Schemas["ConnectorMetrics"];
export type MetricsBucket = Schemas["HourlyOutcomes"];
export type CircuitState = ConnectorMetrics["circuitState"];

export type Preset = Schemas["Preset"];
export type Source = Schemas["Source"];
export type SourceInput = Schemas["SourceInput"];
export type Verifier = NonNullable<Source["verifier"]>;
export type InboundWebhook = Schemas["InboundWebhook"];
export type Expect = NonNullable<Schemas["Expect"]>;
export type Expectation = Schemas["Expectation"];
export type ExpectationStatus = Expectation["status"];
export type ExpectationDetail = Schemas["ExpectationDetail"];
export type UnexpectedEvent = Schemas["UnexpectedEvent"];
export type ReconciliationSummary = Schemas["ReconciliationSummary"];
export type RegistryEntry = Schemas["RegistryEntry"];
export type RegistryEntryInput = Schemas["RegistryEntryInput"];
export type EventType = Schemas["EventType"];
export type EventTypeSummary = Schemas["EventTypeSummary"];
export type EventTypeInput = Schemas["EventTypeInput"];
export type InferredEventType = Schemas["InferredEventType"];
export type SchemaIssue = Schemas["SchemaIssue"];
export type Replay = Schemas["Replay"];
