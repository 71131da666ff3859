// The visual mapper's model: a mapping (DESIGN §6, §10) as rows of target fields, and back. Pure.
//
// A mapping the form shows is an object whose leaves are strings, numbers, booleans or null, nested
// objects being written as dotted names (`customer.email`). Each leaf is one row:
//   "$.payload.orderId"            → field from the event (a JSONPath)
//   "Order <<event.payload.id>>"   → text with fields (placeholders)
//   "{% … %}"                      → formula, or "for each item" when it has that row's exact shape
//   anything else                  → fixed value (text, number, true/false, null)
// Other shapes (a top-level value that is not an object, lists, empty objects, keys with dots) are edited
// as JSON; `rowsFromMapping` says why. For every mapping it shows, rows → mapping → rows is the identity.
import { type EachSpec, parseEach, type Scalar, writeEach } from "./each-expression";
import type { Segment } from "./json-path";

export type RowValue =
  | { kind: "path"; path: string }
  | { kind: "text"; template: string }
  /** `expression` is the JSONata between `{%` and `%}`; `source` the string it was read from (kept exactly). */
  | { kind: "formula"; expression: string; source?: string }
  | { kind: "fixed"; value: Scalar }
  | ({ kind: "each" } & EachSpec);

export type ValueKind = RowValue["kind"];

export interface FieldRow {
  id: string;
  /** Dots build nested objects: `customer.email`. */
  name: string;
  value: RowValue;
}

// The engine's own rules (packages/core/src/mapping-syntax.ts, expressions/syntax.ts); a unit test checks
// they agree, without shipping the engine's parsers to the browser.
export const isJsonPath = (s: string) => /^\$(?:$|[.[])/.test(s);
export const isExpression = (s: string) => s.length >= 4 && s.startsWith("{%") && s.endsWith("%}");
export const hasPlaceholder = (s: string) => /<<[^<>]*>>|\{\{[^{}]*\}\}/.test(s);

let nextId = 0;
export const newRowId = () => `row-${++nextId}`;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** How a mapping string reads. */
export function valueOfString(s: string): RowValue {
  if (isJsonPath(s)) return { kind: "path", path: s };
  if (isExpression(s)) {
    const each = parseEach(s);
    if (each) return { kind: "each", ...each };
    return { kind: "formula", expression: s.slice(2, -2).trim(), source: s };
  }
  if (hasPlaceholder(s)) return { kind: "text", template: s };
  return { kind: "fixed", value: s };
}

/** The rows of a mapping, or why the form cannot show it. */
export function rowsFromMapping(mapping: unknown): { rows: FieldRow[] } | { reason: string } {
  if (!isRecord(mapping)) {
    return {
      reason: Array.isArray(mapping)
        ? "The mapping is a list, not an object of named fields."
        : "The mapping is a single value, not an object of named fields.",
    };
  }
  const rows: FieldRow[] = [];
  const walk = (node: Record<string, unknown>, prefix: string[]): string | null => {
    for (const key of Object.keys(node)) {
      const name = [...prefix, key].join(".");
      if (key === "")
        return `It has a field with an empty name${prefix.length ? ` inside "${prefix.join(".")}"` : ""}.`;
      if (key.includes(".")) return `It has a field named "${name}": the form uses dots in names for nesting.`;
      const value = node[key];
      if (isRecord(value)) {
        if (Object.keys(value).length === 0) return `"${name}" is an empty object.`;
        const why = walk(value, [...prefix, key]);
        if (why) return why;
      } else if (Array.isArray(value)) {
        return `"${name}" is a list written out in JSON; the form builds lists only with "for each item".`;
      } else if (typeof value === "string") {
        rows.push({ id: newRowId(), name, value: valueOfString(value) });
      } else {
        rows.push({ id: newRowId(), name, value: { kind: "fixed", value: value as Scalar } });
      }
    }
    return null;
  };
  const reason = walk(mapping, []);
  return reason ? { reason } : { rows };
}

/** The mapping string (or value) a row stands for, or why it cannot be written yet. */
export function mappingValueOf(value: RowValue): { value: unknown } | { problem: string } {
  switch (value.kind) {
    case "path":
      if (value.path.trim() === "") return { problem: "Choose a field from the sample event." };
      if (!isJsonPath(value.path)) return { problem: "A field from the event is a JSONPath starting with $." };
      return { value: value.path };
    case "text":
      if (isJsonPath(value.template) || isExpression(value.template))
        return { problem: "This text would be read as a path or a formula: start it with something else." };
      return { value: value.template };
    case "formula": {
      // Unchanged since it was read: written back exactly as it was.
      const source = value.source;
      if (source && isExpression(source) && source.slice(2, -2).trim() === value.expression) return { value: source };
      if (value.expression.trim() === "") return { problem: "Write a formula, or pick one from Functions." };
      return { value: `{% ${value.expression} %}` };
    }
    case "fixed":
      if (typeof value.value === "string") {
        if (isJsonPath(value.value))
          return { problem: "Text starting with $ would be read as a field from the event." };
        if (isExpression(value.value)) return { problem: "Text written as {% … %} would be read as a formula." };
        if (hasPlaceholder(value.value)) return { problem: "This text has <<…>> fields: choose “Text with fields”." };
      }
      if (typeof value.value === "number" && !Number.isFinite(value.value)) return { problem: "Not a number." };
      return { value: value.value };
    case "each": {
      if (value.source.length === 0) return { problem: "Choose the list to go through (click a list in the sample)." };
      const unnamed = value.fields.find((f) => f.name === "");
      if (unnamed) return { problem: "Every item field needs a name." };
      const names = new Set<string>();
      for (const f of value.fields) {
        if (names.has(f.name)) return { problem: `Two item fields are named "${f.name}".` };
        names.add(f.name);
        if (f.value.kind === "formula" && f.value.expression.trim() === "")
          return { problem: `Item field "${f.name}" needs a formula.` };
      }
      return { value: writeEach(value) };
    }
  }
}

/** The mapping the rows build; rows that cannot be written yet are left out, each with its problem. */
export function mappingFromRows(rows: FieldRow[]): {
  mapping: Record<string, unknown>;
  problems: Record<string, string>;
} {
  const mapping: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const row of rows) {
    const segments = row.name.split(".");
    if (row.name === "" || segments.some((s) => s === "")) {
      problems[row.id] = row.name === "" ? "Give the field a name." : "A part of the name between dots is empty.";
      continue;
    }
    const written = mappingValueOf(row.value);
    if ("problem" in written) {
      problems[row.id] = written.problem;
      continue;
    }
    const placed = place(mapping, segments, written.value);
    if (placed) problems[row.id] = placed;
  }
  return { mapping, problems };
}

function place(root: Record<string, unknown>, segments: string[], value: unknown): string | null {
  let node = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i] as string;
    if (!Object.hasOwn(node, key)) define(node, key, {});
    const next = node[key];
    if (!isRecord(next)) return `"${segments.slice(0, i + 1).join(".")}" is already a value, so it cannot hold fields.`;
    node = next;
  }
  const last = segments[segments.length - 1] as string;
  if (Object.hasOwn(node, last)) {
    return isRecord(node[last])
      ? `"${segments.join(".")}" already holds fields (named ${segments.join(".")}.…).`
      : "Another field has this name.";
  }
  define(node, last, value);
  return null;
}

/** An own, ordinary key even when it is `__proto__`. */
function define(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Segments of a row's name, for matching it with preview's per-field results. */
export const namePath = (row: FieldRow): string[] => row.name.split(".");

export type { Scalar, Segment };
