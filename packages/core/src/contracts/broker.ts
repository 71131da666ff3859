import { z } from "zod";
import { validateMapping } from "../mapping-syntax.ts";
import { HEADER_NAME_RE } from "../render-request.ts";

/**
 * Message brokers as destinations and sources (DESIGN §13): RabbitMQ (AMQP 0-9-1) and NATS JetStream.
 * One place for their shapes, so the engine's routes, the worker, the admin and the presets agree. Another
 * broker (Kafka, Pulsar) is one more entry here and one more transport / consumer in the engine.
 */

export const BROKER_KINDS = ["amqp", "nats"] as const;
export type BrokerKind = (typeof BROKER_KINDS)[number];

export const BROKER_LIMITS = {
  urlLength: 2_048,
  /** AMQP short strings (exchange, queue, routing key) are at most 255 bytes. */
  shortString: 255,
  subjectLength: 512,
  headers: 50,
  headerValueLength: 8_192,
  prefetch: { min: 1, max: 1_000, default: 50 },
} as const;

const PLACEHOLDER_RE = /<<[^<>]*>>|\{\{\{[^{}]*\}\}\}|\{\{[^{}]*\}\}/g;
const SECRET_ONLY_RE = /^(?:<<\s*secret\.[A-Za-z][A-Za-z0-9_-]*\s*>>|\{\{\s*secret\.[A-Za-z][A-Za-z0-9_-]*\s*\}\})$/;

/**
 * Why a broker URL template is not acceptable, or null. Placeholders count as neutral text; the scheme must
 * be one of `schemes`; a password must be a `<<secret.name>>` placeholder, never literal text (a connector
 * or source is returned by the API as stored, secrets are not).
 */
export function brokerUrlProblem(template: string, schemes: readonly string[]): string | null {
  const probe = template.replace(PLACEHOLDER_RE, "x");
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    return `must be a URL like ${schemes[0]}//host:port`;
  }
  if (!schemes.includes(url.protocol)) return `the scheme must be ${schemes.map((s) => s.slice(0, -1)).join(" or ")}`;
  if (!url.hostname) return "needs a host";
  const rest = template.slice(template.indexOf("//") + 2);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(":");
    const password = colon >= 0 ? userinfo.slice(colon + 1) : "";
    if (password && !SECRET_ONLY_RE.test(password.trim())) {
      return "a password in the URL must be a secret placeholder, e.g. amqp://app:<<secret.brokerPassword>>@host";
    }
  }
  return null;
}

/** `nats://a:4222,nats://b:4222` or `a:4222` → one URL per server (a bare host:port gets `nats://`). */
export function splitNatsServers(servers: string): string[] {
  return servers
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/^[a-z]+:\/\//i.test(s) ? s : `nats://${s}`));
}

const NATS_SCHEMES = ["nats:", "tls:"] as const;
const AMQP_SCHEMES = ["amqp:", "amqps:"] as const;

function templates(ctx: z.RefinementCtx, entries: [string[], string][]) {
  for (const [path, template] of entries) {
    for (const message of validateMapping(template)) ctx.addIssue({ code: "custom", path, message });
  }
}

const amqpUrl = z
  .string()
  .min(1)
  .max(BROKER_LIMITS.urlLength)
  .superRefine((value, ctx) => {
    const problem = brokerUrlProblem(value, AMQP_SCHEMES);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({
    description: "amqp:// or amqps:// URL with the vhost as its path; a password only as <<secret.name>>",
    example: "amqp://app:<<secret.brokerPassword>>@rabbitmq.internal:5672/orders",
  });

const natsServers = z
  .string()
  .min(1)
  .max(BROKER_LIMITS.urlLength)
  .superRefine((value, ctx) => {
    const list = splitNatsServers(value);
    if (list.length === 0) ctx.addIssue({ code: "custom", message: "at least one server" });
    for (const server of list) {
      const problem = brokerUrlProblem(server, NATS_SCHEMES);
      if (problem) ctx.addIssue({ code: "custom", message: `${server}: ${problem}` });
    }
  })
  .meta({
    description: "Comma-separated nats:// (or tls://) server URLs; credentials only as <<secret.name>>",
    example: "nats://app:<<secret.natsPassword>>@nats.internal:4222",
  });

const messageHeaders = z
  .record(
    z.string().regex(HEADER_NAME_RE, "a header name: letters, digits and !#$%&'*+-.^_`|~"),
    z.string().max(BROKER_LIMITS.headerValueLength),
  )
  .refine((h) => Object.keys(h).length <= BROKER_LIMITS.headers, `at most ${BROKER_LIMITS.headers} headers`)
  .optional()
  .meta({
    description: "Message headers; values may use placeholders",
    example: { "x-tenant": "<<event.payload.tenant>>" },
  });

function headerTemplates(headers: Record<string, string> | undefined): [string[], string][] {
  return Object.entries(headers ?? {}).map(([name, value]) => [["headers", name], value]);
}

/** RabbitMQ: publish the rendered body to an exchange, persistent, with publisher confirms. */
export const AmqpDestinationSchema = z
  .object({
    type: z.literal("amqp"),
    url: amqpUrl,
    exchange: z
      .string()
      .max(BROKER_LIMITS.shortString)
      .regex(/^[A-Za-z0-9_.:\-/]*$/, "letters, digits and _ . : - /")
      .meta({
        description: 'The exchange ("" is the default exchange: routingKey is then a queue name)',
        example: "orders",
      }),
    routingKey: z
      .string()
      .max(BROKER_LIMITS.shortString)
      .meta({ description: "Routing key; may use placeholders", example: "order.<<event.payload.country>>.created" }),
    headers: messageHeaders,
  })
  .strict()
  .superRefine((d, ctx) =>
    templates(ctx, [[["url"], d.url], [["routingKey"], d.routingKey], ...headerTemplates(d.headers)]),
  );

/** NATS JetStream: publish to a subject a stream captures; `Nats-Msg-Id` makes retries idempotent. */
export const NatsDestinationSchema = z
  .object({
    type: z.literal("nats"),
    servers: natsServers,
    subject: z
      .string()
      .min(1)
      .max(BROKER_LIMITS.subjectLength)
      .meta({ description: "Subject; may use placeholders", example: "orders.<<event.payload.country>>.created" }),
    headers: messageHeaders,
  })
  .strict()
  .superRefine((d, ctx) =>
    templates(ctx, [[["servers"], d.servers], [["subject"], d.subject], ...headerTemplates(d.headers)]),
  );

export type AmqpDestination = z.infer<typeof AmqpDestinationSchema>;
export type NatsDestination = z.infer<typeof NatsDestinationSchema>;
export type BrokerDestination = AmqpDestination | NatsDestination;

export function isBrokerDestination(destination: object): destination is BrokerDestination {
  const type = (destination as { type?: unknown }).type;
  return type === "amqp" || type === "nats";
}

const prefetch = z
  .number()
  .int()
  .min(BROKER_LIMITS.prefetch.min)
  .max(BROKER_LIMITS.prefetch.max)
  .optional()
  .meta({ description: "Messages in flight to the engine at once (default 50)", example: 50 });

const typeHeader = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/)
  .optional()
  .meta({
    description:
      "Take the message type that eventMapping keys match from this header instead of the routing key / subject",
    example: "type",
  });

/** The broker part of an `amqp` source: the engine consumes `queue` (declared by you, with its DLX). */
export const AmqpSourceFieldsSchema = z.object({
  url: amqpUrl,
  queue: z
    .string()
    .min(1)
    .max(BROKER_LIMITS.shortString)
    .meta({ description: "The queue to consume (it must exist)", example: "orders.to-integrations" }),
  prefetch,
  typeHeader,
});

/** The broker part of a `nats` source: a durable pull consumer on a JetStream stream. */
export const NatsSourceFieldsSchema = z.object({
  servers: natsServers,
  stream: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, "a stream name: letters, digits, _ and -")
    .meta({ description: "The stream (it must exist)", example: "ORDERS" }),
  consumer: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, "a consumer name: letters, digits, _ and -")
    .meta({
      description: "Durable pull consumer; created with explicit acks if the stream does not have it",
      example: "integration-builder",
    }),
  prefetch,
  typeHeader,
});

export type AmqpSourceFields = z.infer<typeof AmqpSourceFieldsSchema>;
export type NatsSourceFields = z.infer<typeof NatsSourceFieldsSchema>;

export const SOURCE_KINDS = ["webhook", ...BROKER_KINDS] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const CONSUMER_STATES = ["starting", "consuming", "reconnecting", "error", "stopped"] as const;
export type ConsumerState = (typeof CONSUMER_STATES)[number];

/** How a broker source's consumer is doing, as its engine process last reported. */
export const SourceRuntimeSchema = z
  .object({
    state: z.enum(CONSUMER_STATES).meta({
      description:
        "consuming; reconnecting (the broker is unreachable, retried with backoff); error (see error); starting; stopped (disabled, or no worker process holds it)",
    }),
    error: z.string().nullable(),
    pending: z.number().int().nullable().meta({
      description: "Messages waiting (AMQP: ready in the queue; NATS: pending + unacknowledged for the consumer)",
    }),
    lastMessageAt: z.string().nullable().meta({ description: "When the last message was taken (ISO 8601)" }),
    consumedBy: z.string().nullable().meta({ description: "The engine process consuming it" }),
    updatedAt: z.string().nullable().meta({ description: "When that process last reported" }),
  })
  .meta({
    id: "SourceRuntime",
    example: {
      state: "consuming",
      error: null,
      pending: 0,
      lastMessageAt: "2026-01-01T12:00:00.000Z",
      consumedBy: "engine-1:4242:a1b2c3",
      updatedAt: "2026-01-01T12:00:02.000Z",
    },
  });
export type SourceRuntime = z.infer<typeof SourceRuntimeSchema>;
