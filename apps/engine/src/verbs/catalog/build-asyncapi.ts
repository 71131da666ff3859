import { matchesSourceEvent } from "@ib/core/event-match";
import { connectors, eventTypes } from "@ib/db";
import { asc, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";

/** The schemaFormat AsyncAPI names Avro 1.9 schemas with. */
export const AVRO_SCHEMA_FORMAT = "application/vnd.apache.avro+json;version=1.9.0";

type Json = Record<string, unknown>;

/**
 * The catalog as an AsyncAPI 3.0 document: one channel and one message per event type (its payload the
 * type's JSON Schema, or its Avro schema under the Avro schemaFormat, with the sample as an example), and
 * one `send` operation per enabled connector on the channel of the events it takes (a wildcard
 * `sourceEvent` gets a channel of its own, carrying every matching type's message). Destinations, mappings
 * and secrets are never in it.
 */
export async function buildAsyncApi({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { host: string; protocol: "http" | "https" };
}): Promise<Json> {
  const [types, enabled] = await Promise.all([
    ctx.db.select().from(eventTypes).orderBy(asc(eventTypes.name)),
    ctx.db
      .select({
        id: connectors.id,
        name: connectors.name,
        description: connectors.description,
        sourceEvent: connectors.sourceEvent,
      })
      .from(connectors)
      .where(eq(connectors.enabled, true))
      .orderBy(asc(connectors.id)),
  ]);

  const keys = new Keys();
  const channels: Json = {};
  const messages: Json = {};
  const channelOf = new Map<string, { key: string; messageKeys: string[] }>();
  for (const type of types) {
    const key = keys.take(type.name);
    messages[key] = {
      name: type.name,
      title: type.name,
      ...(type.description ? { summary: type.description } : {}),
      contentType: "application/json",
      payload:
        type.schemaFormat === "avro"
          ? { schemaFormat: AVRO_SCHEMA_FORMAT, schema: type.schema }
          : withoutDialect(type.schema),
      ...(type.sample !== null && type.sample !== undefined ? { examples: [{ payload: type.sample }] } : {}),
      "x-version": type.version,
      "x-validation": type.validation,
    };
    channels[key] = {
      address: type.name,
      title: type.name,
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
    };
    channelOf.set(type.name, { key, messageKeys: [key] });
  }

  const operations: Json = {};
  for (const connector of enabled) {
    let channel = channelOf.get(connector.sourceEvent);
    if (!channel) {
      // A wildcard (`order.*`, `*`) or a name with no catalog entry: a channel of its own.
      const key = keys.take(connector.sourceEvent);
      const matching = types.filter((t) => matchesSourceEvent(connector.sourceEvent, t.name));
      const messageKeys = matching.map((t) => channelOf.get(t.name)?.key as string);
      channels[key] = {
        address: connector.sourceEvent,
        title: connector.sourceEvent,
        messages: Object.fromEntries(messageKeys.map((m) => [m, { $ref: `#/components/messages/${m}` }])),
      };
      channel = { key, messageKeys };
      channelOf.set(connector.sourceEvent, channel);
    }
    const target = channel;
    operations[keys.take(connector.id)] = {
      action: "send",
      title: connector.name,
      ...(connector.description ? { description: connector.description } : {}),
      summary: `Connector ${connector.id} delivers ${connector.sourceEvent} events to its destination`,
      channel: { $ref: `#/channels/${target.key}` },
      messages: target.messageKeys.map((m) => ({ $ref: `#/channels/${target.key}/messages/${m}` })),
    };
  }

  return {
    asyncapi: "3.0.0",
    info: {
      title: "Integration Builder events",
      // The engine's version (as in /openapi.json).
      version: "0.1.0",
      description:
        "The event catalog of this Integration Builder engine: the events it accepts at POST /v1/events, with " +
        "their payload schemas, and the connectors that send them on. The HTTP API is described at /openapi.json.",
    },
    defaultContentType: "application/json",
    servers: {
      engine: {
        host: input.host,
        protocol: input.protocol,
        pathname: "/v1/events",
        description: "Events are posted here (JSON or CloudEvents); see /docs",
      },
    },
    channels,
    operations,
    components: { messages },
  };
}

/** AsyncAPI schema objects are JSON Schema without a dialect of their own: `$schema` is dropped. */
function withoutDialect(schema: unknown): unknown {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const { $schema: _dialect, ...rest } = schema as Json;
  return rest;
}

/** Component keys must match ^[A-Za-z0-9._-]+$: names are made to fit, and kept unique. */
class Keys {
  private readonly used = new Set<string>();
  take(name: string): string {
    const base = name.replace(/[^A-Za-z0-9_-]/g, "_") || "_";
    let key = base;
    for (let i = 2; this.used.has(key); i++) key = `${base}_${i}`;
    this.used.add(key);
    return key;
  }
}
