// Mapping completions from the event catalog: a payload shaped by the event type's schema, merged under the
// connector's sample so a field the sample lacks is still offered (its value shows what the schema says).

type Json = Record<string, unknown>;

const MAX_DEPTH = 8;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** A value of the shape a JSON Schema describes, with `<type>` text standing for strings. */
export function fromJsonSchema(schema: unknown, depth = 0, defs: Json = {}): unknown {
  if (!isObject(schema) || depth > MAX_DEPTH) return null;
  const scope = isObject(schema.$defs) ? { ...defs, ...schema.$defs } : defs;
  if (typeof schema.$ref === "string" && schema.$ref.startsWith("#/$defs/")) {
    return fromJsonSchema(scope[schema.$ref.slice("#/$defs/".length)], depth + 1, scope);
  }
  for (const key of ["const", "default"] as const) if (key in schema) return schema[key];
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const variants = (schema.oneOf ?? schema.anyOf) as unknown;
  if (Array.isArray(variants) && variants.length > 0) return fromJsonSchema(variants[0], depth + 1, scope);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== "null") ?? (isObject(schema.properties) ? "object" : types[0]);
  switch (type) {
    case "object": {
      const out: Json = {};
      if (isObject(schema.properties)) {
        for (const [key, child] of Object.entries(schema.properties))
          out[key] = fromJsonSchema(child, depth + 1, scope);
      }
      return out;
    }
    case "array":
      return schema.items === undefined ? [] : [fromJsonSchema(schema.items, depth + 1, scope)];
    case "string":
      return `<${typeof schema.format === "string" ? schema.format : "string"}>`;
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}

/** The same for an Avro schema (records, arrays, maps, unions, enums, primitives). */
export function fromAvroSchema(schema: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(schema)) return fromAvroSchema(schema.find((s) => s !== "null") ?? "null", depth + 1);
  if (typeof schema === "string") {
    if (schema === "string" || schema === "bytes") return `<${schema}>`;
    if (["int", "long", "float", "double"].includes(schema)) return 0;
    if (schema === "boolean") return false;
    return null;
  }
  if (!isObject(schema)) return null;
  if (schema.type === "record" && Array.isArray(schema.fields)) {
    const out: Json = {};
    for (const field of schema.fields) {
      if (isObject(field) && typeof field.name === "string") out[field.name] = fromAvroSchema(field.type, depth + 1);
    }
    return out;
  }
  if (schema.type === "array") return [fromAvroSchema(schema.items, depth + 1)];
  if (schema.type === "map") return {};
  if (schema.type === "enum" && Array.isArray(schema.symbols)) return schema.symbols[0] ?? null;
  return fromAvroSchema(schema.type, depth + 1);
}

/** `sample` with every field the schema has and the sample lacks added (the sample's own values win). */
export function mergeUnder(schemaValue: unknown, sample: unknown, depth = 0): unknown {
  if (sample === undefined) return schemaValue;
  if (depth > MAX_DEPTH || !isObject(schemaValue) || !isObject(sample)) return sample;
  const out: Json = { ...sample };
  for (const [key, value] of Object.entries(schemaValue)) out[key] = mergeUnder(value, sample[key], depth + 1);
  return out;
}

/** The sample event with its payload completed from the event type's schema. */
export function withSchemaFields(
  sampleEvent: unknown,
  eventType: { schemaFormat: "json-schema" | "avro"; schema?: unknown } | undefined,
): unknown {
  if (!eventType) return sampleEvent;
  const fromSchema =
    eventType.schemaFormat === "avro" ? fromAvroSchema(eventType.schema) : fromJsonSchema(eventType.schema);
  const event = isObject(sampleEvent) ? sampleEvent : {};
  return { ...event, payload: mergeUnder(fromSchema, event.payload) };
}
