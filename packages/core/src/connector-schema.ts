import { z } from "zod";
import { AmqpDestinationSchema, NatsDestinationSchema } from "./contracts/broker.ts";
import { ExpectSchema } from "./contracts/reconciliation.ts";
import { isValidSourceEventPattern } from "./event-match.ts";
import { isExpression } from "./expressions/syntax.ts";
import { FilterSchema } from "./filters/schema.ts";
import { mappingProblems, SECRET_NAME_RE, secretReferences, validateMapping } from "./mapping.ts";
import { BODY_ENCODINGS, HEADER_NAME_RE, HTTP_METHODS } from "./render-request.ts";

/**
 * A connector as the API accepts it (DESIGN §4, §7). Plain zod, so the admin UI can import it and derive a
 * JSON Schema (`z.toJSONSchema(ConnectorInputSchema)`) for its "Edit as JSON" mode; the engine wraps it for
 * OpenAPI. Defaults here are the database defaults.
 */

export const CONNECTOR_LIMITS = {
  nameLength: 200,
  descriptionLength: 2_000,
  urlLength: 2_048,
  headers: 50,
  headerValueLength: 8_192,
  queryParams: 50,
  queryValueLength: 4_096,
  tags: 20,
  tagLength: 100,
  /** JSON size of `mapping`, and of `sampleEvent`. */
  jsonBytes: 256 * 1024,
  timeoutMs: { min: 100, max: 60_000 },
  retryMaxAttempts: { min: 1, max: 50 },
  retryBackoffBaseMs: { min: 10, max: 3_600_000 },
  retryBackoffMaxMs: { min: 10, max: 86_400_000 },
  circuitFailureThreshold: { min: 1, max: 1_000 },
  circuitCooldownMs: { min: 1_000, max: 3_600_000 },
  rateLimitPerSecond: { min: 0.001, max: 10_000 },
  maxInFlight: { min: 1, max: 1_000 },
} as const;

const int = (range: { min: number; max: number }) => z.number().int().min(range.min).max(range.max);

const secretName = z
  .string()
  .regex(SECRET_NAME_RE, "a secret name: letters, digits, _ and -, starting with a letter (max 64)");

/**
 * A placeholder-aware URL check: `<<…>>` / `{{…}}` become a neutral value before parsing, so
 * `https://api.example.com/orders/<<event.payload.id>>` is accepted and `ftp://…` is not.
 */
export function isHttpUrlTemplate(value: string): boolean {
  // An expression computes the URL: it is checked as an expression here and as a URL when rendered.
  if (isExpression(value)) return true;
  const probe = value.replace(/<<[^<>]*>>|\{\{\{[^{}]*\}\}\}|\{\{[^{}]*\}\}/g, "x");
  try {
    const url = new URL(probe);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function jsonSize(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** An HTTP destination (`type` "http", the default): DESIGN §7. */
export const HttpDestinationSchema = z
  .object({
    type: z.literal("http").optional().meta({ description: "http (the default), amqp or nats" }),
    url: z
      .string()
      .max(CONNECTOR_LIMITS.urlLength)
      .refine(isHttpUrlTemplate, "must be an http:// or https:// URL (placeholders allowed)")
      .meta({ example: "https://erp.example.com/orders" }),
    method: z.enum(HTTP_METHODS).default("POST"),
    headers: z
      .record(
        z.string().regex(HEADER_NAME_RE, "a valid HTTP header name"),
        z.string().max(CONNECTOR_LIMITS.headerValueLength),
      )
      .refine((h) => Object.keys(h).length <= CONNECTOR_LIMITS.headers, `at most ${CONNECTOR_LIMITS.headers} headers`)
      .optional()
      .meta({ description: "Header values may use placeholders", example: { "X-Api-Key": "<<secret.apiKey>>" } }),
    query: z
      .record(z.string().min(1).max(256), z.string().max(CONNECTOR_LIMITS.queryValueLength))
      .refine(
        (q) => Object.keys(q).length <= CONNECTOR_LIMITS.queryParams,
        `at most ${CONNECTOR_LIMITS.queryParams} query parameters`,
      )
      .optional()
      .meta({ description: "Appended to the URL; values may use placeholders", example: { tenant: "acme" } }),
    bodyEncoding: z
      .enum(BODY_ENCODINGS)
      .default("json")
      .meta({ description: "json (application/json), form (application/x-www-form-urlencoded) or text" }),
  })
  .strict()
  .superRefine((destination, ctx) => {
    // Templates in the URL, headers and query follow the mapping language: check them when saving, not
    // when the first delivery fails.
    const templates: [string[], string][] = [[["url"], destination.url]];
    for (const [name, value] of Object.entries(destination.headers ?? {})) {
      templates.push([["headers", name], value]);
      if (/[\r\n\0]/.test(value) && !isExpression(value)) {
        ctx.addIssue({
          code: "custom",
          path: ["headers", name],
          message: "a header value cannot contain a line break",
        });
      }
    }
    for (const [name, value] of Object.entries(destination.query ?? {})) templates.push([["query", name], value]);
    for (const [path, template] of templates) {
      for (const message of validateMapping(template)) ctx.addIssue({ code: "custom", path, message });
    }
  });

/**
 * Where a connector sends: HTTP (default), or a message broker (DESIGN §13). The worker dispatches on
 * `type` to a transport; a new kind is one more schema here and one more transport in the engine.
 */
export const DestinationSchema = z.discriminatedUnion("type", [
  HttpDestinationSchema,
  AmqpDestinationSchema,
  NatsDestinationSchema,
]);
export type Destination = z.output<typeof DestinationSchema>;
export type HttpDestination = z.output<typeof HttpDestinationSchema>;

export const AwsSigV4AuthSchema = z
  .object({
    type: z.literal("awsSigV4"),
    region: z.string().regex(/^[a-z0-9-]{1,64}$/, "an AWS region, e.g. eu-west-1"),
    service: z.string().regex(/^[a-z0-9-]{1,64}$/, "an AWS service name, e.g. execute-api"),
    accessKeyIdSecret: secretName.meta({ description: "Name of the connector secret holding the access key id" }),
    secretAccessKeySecret: secretName.meta({ description: "Name of the connector secret holding the secret key" }),
    sessionTokenSecret: secretName.optional(),
  })
  .strict();

/** HTTP Basic: `Authorization: Basic base64(username:password)`, both read from connector secrets. */
export const BasicAuthSchema = z
  .object({
    type: z.literal("basic"),
    usernameSecret: secretName.meta({ description: "Name of the connector secret holding the username" }),
    passwordSecret: secretName.meta({ description: "Name of the connector secret holding the password" }),
  })
  .strict();

/**
 * Request authentication beyond headers (applied by `@ib/providers/request-auth` in the worker). To add a
 * kind, add its schema to this list (the `type` field tells them apart) and teach request-auth to apply it.
 */
export const CONNECTOR_AUTH_SCHEMAS = [AwsSigV4AuthSchema, BasicAuthSchema] as const;
export const ConnectorAuthSchema = z.discriminatedUnion("type", CONNECTOR_AUTH_SCHEMAS);

/** An event as the mapping sees it; all fields but `payload` have defaults in preview. */
export const SampleEventSchema = z
  .object({
    id: z.string().min(1).max(200).optional(),
    name: z.string().min(1).max(200).optional(),
    source: z.string().max(200).nullable().optional(),
    time: z.string().max(64).optional(),
    payload: z.unknown(),
  })
  .strict()
  .refine((e) => jsonSize(e) <= CONNECTOR_LIMITS.jsonBytes, `at most ${CONNECTOR_LIMITS.jsonBytes} bytes of JSON`)
  .meta({ example: { name: "order.created", payload: { orderId: "ord_42", total: 12.5 } } });

const MappingSchema = z
  .unknown()
  .superRefine((mapping, ctx) => {
    if (jsonSize(mapping) > CONNECTOR_LIMITS.jsonBytes) {
      ctx.addIssue({ code: "custom", message: `at most ${CONNECTOR_LIMITS.jsonBytes} bytes of JSON` });
      return;
    }
    for (const problem of mappingProblems(mapping)) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    }
  })
  .meta({
    description:
      "JSON rendered against the event: a string that is a JSONPath ($.payload.x) becomes that value; a string that is exactly {% … %} is a JSONata expression over the event (its result keeps its type; $secret('name') reads a secret); <<event.path>> and <<secret.name>> are interpolated inside other strings",
    example: { eventId: "$.id", orderId: "$.payload.orderId", auth: "Bearer <<secret.token>>" },
  });

/** Fields of a connector, as accepted by `PUT /admin/integration-builder/connectors`. */
export const ConnectorFieldsSchema = z
  .object({
    name: z.string().trim().min(1).max(CONNECTOR_LIMITS.nameLength).meta({ example: "Orders to ERP" }),
    description: z.string().max(CONNECTOR_LIMITS.descriptionLength).nullable().optional(),
    enabled: z.boolean().default(true),
    sourceEvent: z
      .string()
      .max(200)
      .refine(isValidSourceEventPattern, "an event name (order.created), a trailing wildcard (order.*) or *")
      .meta({ example: "order.created" }),
    destination: DestinationSchema,
    mapping: MappingSchema.optional(),
    auth: ConnectorAuthSchema.nullable().optional(),
    timeoutMs: int(CONNECTOR_LIMITS.timeoutMs).default(10_000),
    retryMaxAttempts: int(CONNECTOR_LIMITS.retryMaxAttempts).default(5),
    retryBackoffBaseMs: int(CONNECTOR_LIMITS.retryBackoffBaseMs).default(1_000),
    retryBackoffMaxMs: int(CONNECTOR_LIMITS.retryBackoffMaxMs).default(3_600_000),
    circuitFailureThreshold: int(CONNECTOR_LIMITS.circuitFailureThreshold)
      .default(10)
      .meta({ description: "Consecutive failures that open the circuit breaker" }),
    circuitCooldownMs: int(CONNECTOR_LIMITS.circuitCooldownMs)
      .default(30_000)
      .meta({ description: "How long an open circuit waits before a trial request" }),
    rateLimitPerSecond: z
      .number()
      .min(CONNECTOR_LIMITS.rateLimitPerSecond.min)
      .max(CONNECTOR_LIMITS.rateLimitPerSecond.max)
      .nullable()
      .optional()
      .meta({ description: "Requests per second to the destination, across all workers (null: no limit)" }),
    maxInFlight: int(CONNECTOR_LIMITS.maxInFlight)
      .nullable()
      .optional()
      .meta({ description: "Concurrent requests to the destination (null: no limit)" }),
    preset: z.string().max(100).nullable().optional().meta({ description: "The preset this connector came from" }),
    tags: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "a tag key: letters, digits, _ . -"),
        z.string().max(CONNECTOR_LIMITS.tagLength),
      )
      .refine((t) => Object.keys(t).length <= CONNECTOR_LIMITS.tags, `at most ${CONNECTOR_LIMITS.tags} tags`)
      .default({})
      .meta({ example: { country: "BR", providerType: "erp" } }),
    sampleEvent: SampleEventSchema.nullable().optional(),
    filter: FilterSchema.nullable().optional(),
    expect: ExpectSchema.nullable().optional(),
  })
  .strict();

function checkConnector(
  value: { id?: string; version?: number; retryBackoffBaseMs: number; retryBackoffMaxMs: number },
  ctx: z.RefinementCtx,
) {
  if (value.retryBackoffMaxMs < value.retryBackoffBaseMs) {
    ctx.addIssue({
      code: "custom",
      path: ["retryBackoffMaxMs"],
      message: "must be at least retryBackoffBaseMs",
    });
  }
  if (value.id !== undefined && value.version === undefined) {
    ctx.addIssue({ code: "custom", path: ["version"], message: "is required when updating (id is set)" });
  }
}

/** The body of `PUT …/connectors`: without `id` it creates; with `id` and `version` it updates. */
export const ConnectorInputSchema = ConnectorFieldsSchema.extend({
  id: z
    .string()
    .regex(/^con_[0-9a-z]{26}$/, "a connector id (con_…)")
    .optional()
    .meta({ description: "Set to update that connector; omit to create one" }),
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: "The version you read; a stale version is refused with 409" }),
})
  .strict()
  .superRefine(checkConnector)
  .meta({
    id: "ConnectorInput",
    example: {
      name: "Orders to ERP",
      enabled: true,
      sourceEvent: "order.created",
      destination: {
        url: "https://erp.example.com/orders",
        method: "POST",
        headers: { "X-Api-Key": "<<secret.apiKey>>" },
      },
      mapping: { eventId: "$.id", orderId: "$.payload.orderId", auth: "Bearer <<secret.token>>" },
      timeoutMs: 10000,
      retryMaxAttempts: 5,
      retryBackoffBaseMs: 1000,
    },
  });

export type ConnectorInput = z.infer<typeof ConnectorInputSchema>;
export type ConnectorInputRaw = z.input<typeof ConnectorInputSchema>;
export type ConnectorAuth = z.infer<typeof ConnectorAuthSchema>;
export type SampleEvent = z.infer<typeof SampleEventSchema>;

/** Secret names a connector refers to (templates in URL, query, headers and mapping; auth). */
export function connectorSecretNames(connector: {
  destination: object;
  mapping?: unknown;
  auth?: ConnectorAuth | Record<string, unknown> | null;
}): string[] {
  // Every template of the destination (URL or servers, routing key or subject, headers, query) and the mapping.
  const {
    type: _type,
    method: _method,
    bodyEncoding: _encoding,
    ...templates
  } = connector.destination as Record<string, unknown>;
  const names = new Set<string>(secretReferences(...Object.values(templates), connector.mapping));
  const auth = connector.auth as Record<string, unknown> | null | undefined;
  if (auth) {
    for (const [key, value] of Object.entries(auth))
      if (key.endsWith("Secret") && typeof value === "string") names.add(value);
  }
  return [...names].sort();
}
