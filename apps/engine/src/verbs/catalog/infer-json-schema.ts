/**
 * "Create from observed": a JSON Schema (draft 2020-12) that every given payload satisfies. Types are
 * merged across samples (an integer in one and a fraction in another is a `number`; null makes a field
 * nullable), an object property is `required` when every sample of that object has it, array items are
 * merged, and a string field that is a date-time, date, email, uri or uuid in every sample gets that
 * `format`. The result is a starting point to edit, not a contract.
 */

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

interface Shape {
  types: Set<JsonType>;
  /** Object samples seen, and per property how many of them had it. */
  objects: number;
  properties: Map<string, Shape>;
  propertyCounts: Map<string, number>;
  items: Shape | undefined;
  /** Formats every string sample so far matched (undefined: no string seen yet). */
  formats: Set<string> | undefined;
}

const MAX_DEPTH = 20;
const MAX_PROPERTIES = 500;

const FORMATS: [string, RegExp][] = [
  ["date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i],
  ["date", /^\d{4}-\d{2}-\d{2}$/],
  ["email", /^[^\s@]+@[^\s@]+\.[^\s@]+$/],
  ["uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ["uri", /^[a-z][a-z0-9+.-]*:\/\/\S+$/i],
];

export function inferJsonSchema(samples: unknown[]): Record<string, unknown> {
  const shape = emptyShape();
  for (const sample of samples) add(shape, sample, 0);
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...toSchema(shape) };
}

function emptyShape(): Shape {
  return {
    types: new Set(),
    objects: 0,
    properties: new Map(),
    propertyCounts: new Map(),
    items: undefined,
    formats: undefined,
  };
}

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  return "object";
}

function add(shape: Shape, value: unknown, depth: number): void {
  if (value === undefined) return;
  const type = typeOf(value);
  shape.types.add(type);
  if (depth >= MAX_DEPTH) return;
  if (type === "string") {
    const matching = new Set(FORMATS.filter(([, re]) => re.test(value as string)).map(([name]) => name));
    shape.formats = shape.formats ? new Set([...shape.formats].filter((f) => matching.has(f))) : matching;
  } else if (type === "array") {
    for (const item of value as unknown[]) {
      shape.items ??= emptyShape();
      add(shape.items, item, depth + 1);
    }
  } else if (type === "object") {
    shape.objects++;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      let child = shape.properties.get(key);
      if (!child) {
        if (shape.properties.size >= MAX_PROPERTIES) continue;
        child = emptyShape();
        shape.properties.set(key, child);
      }
      shape.propertyCounts.set(key, (shape.propertyCounts.get(key) ?? 0) + 1);
      add(child, v, depth + 1);
    }
  }
}

function toSchema(shape: Shape): Record<string, unknown> {
  const types = new Set(shape.types);
  if (types.has("number")) types.delete("integer");
  const order: JsonType[] = ["object", "array", "string", "number", "integer", "boolean", "null"];
  const list = order.filter((t) => types.has(t));
  const schema: Record<string, unknown> = {};
  if (list.length === 1) schema.type = list[0];
  else if (list.length > 1) schema.type = list;
  if (types.has("object")) {
    const properties: Record<string, unknown> = {};
    for (const [key, child] of shape.properties) properties[key] = toSchema(child);
    schema.properties = properties;
    const required = [...shape.propertyCounts].filter(([, n]) => n === shape.objects).map(([key]) => key);
    if (required.length > 0) schema.required = required;
  }
  if (types.has("array") && shape.items) schema.items = toSchema(shape.items);
  if (types.has("string") && shape.formats && shape.formats.size > 0) {
    schema.format = FORMATS.map(([name]) => name).find((name) => shape.formats?.has(name));
  }
  return schema;
}
