// Changing a row's kind keeps what it can: a field from the event becomes that field's placeholder, its
// JSONata path, its current value (fixed) or the list to go through (for each). Pure.
import type { Scalar } from "./each-expression";
import { jsonataPathOf, jsonataSegmentsOf, jsonPathOf, placeholderOf, segmentsOf, valueAt } from "./json-path";
import type { RowValue, ValueKind } from "./mapping-rows";

export const KINDS: Array<{ kind: ValueKind; label: string }> = [
  { kind: "path", label: "Field from the event" },
  { kind: "text", label: "Text with fields" },
  { kind: "formula", label: "Formula" },
  { kind: "fixed", label: "Fixed value" },
  { kind: "each", label: "For each item" },
];

const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** The same value as another kind, as far as it goes; `sample` is the envelope the paths point into. */
export function convertValue(value: RowValue, kind: ValueKind, sample: unknown): RowValue {
  if (value.kind === kind) return value;
  const path = value.kind === "path" ? segmentsOf(value.path) : null;
  switch (kind) {
    case "path": {
      if (value.kind === "formula") {
        const segs = jsonataSegmentsOf(value.expression.trim());
        if (segs) return { kind: "path", path: jsonPathOf(segs) };
      }
      if (value.kind === "text") {
        const only = /^<<event\.([^<>]+)>>$/.exec(value.template);
        if (only) {
          const segs = (only[1] as string).split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
          return { kind: "path", path: jsonPathOf(segs) };
        }
      }
      if (value.kind === "each") return { kind: "path", path: value.source.length ? jsonPathOf(value.source) : "" };
      return { kind: "path", path: "" };
    }
    case "text":
      if (path) return { kind: "text", template: placeholderOf(path) ?? "" };
      if (value.kind === "fixed") return { kind: "text", template: value.value === null ? "" : String(value.value) };
      return { kind: "text", template: "" };
    case "formula":
      if (path) return { kind: "formula", expression: path.length ? jsonataPathOf(path) : "$" };
      if (value.kind === "fixed") return { kind: "formula", expression: JSON.stringify(value.value) };
      return { kind: "formula", expression: "" };
    case "fixed": {
      if (path) {
        const current = valueAt(sample, path);
        return { kind: "fixed", value: isScalar(current) ? current : "" };
      }
      if (value.kind === "text") return { kind: "fixed", value: value.template };
      return { kind: "fixed", value: "" };
    }
    case "each":
      if (path && Array.isArray(valueAt(sample, path))) return eachOf(path, sample);
      return { kind: "each", source: [], fields: [] };
  }
}

let nextItem = 0;

/** A "for each" over the list at `source`, with one item field per key of its first item. */
export function eachOf(source: (string | number)[], sample: unknown): RowValue & { kind: "each" } {
  const first = (valueAt(sample, source) as unknown[] | undefined)?.[0];
  const keys = first !== null && typeof first === "object" && !Array.isArray(first) ? Object.keys(first) : [];
  return {
    kind: "each",
    source,
    fields: keys.slice(0, 20).map((k) => ({ id: `auto-${++nextItem}`, name: k, value: { kind: "item", path: [k] } })),
  };
}
