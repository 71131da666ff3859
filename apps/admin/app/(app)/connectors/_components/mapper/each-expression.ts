// "For each item of $.payload.items": a list of objects built from per-item fields. The mapping language
// has no loop of its own, so the form writes one JSONata expression in a fixed shape,
//
//   {% [$map(payload.items, function($item) { {"sku": $item.sku, "qty": 2, "cents": ($item.price * 100)} })] %}
//
// (the outer [ ] keeps a one-item list a list), and reads back exactly that shape: a string is shown as a
// "for each" row only when writing its parts again gives the same string; anything else is a formula.
import { jsonataPathOf, jsonataSegmentsOf, type Segment } from "./json-path";

export type Scalar = string | number | boolean | null;

export type ItemValue =
  /** A value of the item: `$item.sku` (an empty path is the whole item). */
  | { kind: "item"; path: Segment[] }
  | { kind: "fixed"; value: Scalar }
  /** JSONata over the item (`$item`) and the event. */
  | { kind: "formula"; expression: string };

export interface ItemField {
  id: string;
  name: string;
  value: ItemValue;
}

export interface EachSpec {
  /** The list, as segments of the envelope (`["payload", "items"]`). */
  source: Segment[];
  fields: ItemField[];
}

export const ITEM = "$item";
const PREFIX = "{% [$map(";
const MID = ", function($item) { {";
const SUFFIX = "} })] %}";

function itemValueText(value: ItemValue): string {
  if (value.kind === "item") return jsonataPathOf(value.path, ITEM);
  if (value.kind === "fixed") return JSON.stringify(value.value);
  return `(${value.expression})`;
}

/** The expression for a "for each" row. */
export function writeEach(spec: EachSpec): string {
  const entries = spec.fields.map((f) => `${JSON.stringify(f.name)}: ${itemValueText(f.value)}`).join(", ");
  return `${PREFIX}${jsonataPathOf(spec.source)}${MID}${entries}${SUFFIX}`;
}

let nextId = 0;
export const newItemId = () => `item-${++nextId}`;

/** A "for each" row's parts, when `text` is exactly what {@link writeEach} writes; else null. */
export function parseEach(text: string): EachSpec | null {
  if (!text.startsWith(PREFIX) || !text.endsWith(SUFFIX)) return null;
  const inner = text.slice(PREFIX.length, -SUFFIX.length);
  const at = inner.indexOf(MID);
  if (at < 0) return null;
  const source = jsonataSegmentsOf(inner.slice(0, at));
  if (!source || source.length === 0) return null;
  const fields: ItemField[] = [];
  for (const entry of splitTopLevel(inner.slice(at + MID.length))) {
    const m = /^("(?:[^"\\]|\\.)*"): ([\s\S]+)$/.exec(entry);
    if (!m) return null;
    let name: unknown;
    try {
      name = JSON.parse(m[1] as string);
    } catch {
      return null;
    }
    const value = itemValueOf(m[2] as string);
    if (typeof name !== "string" || !value) return null;
    fields.push({ id: newItemId(), name, value });
  }
  const spec = { source, fields };
  return writeEach(spec) === text ? spec : null;
}

function itemValueOf(text: string): ItemValue | null {
  const path = jsonataSegmentsOf(text, ITEM);
  if (path) return { kind: "item", path };
  if (text.startsWith("(") && closingOf(text, 0) === text.length - 1) {
    return { kind: "formula", expression: text.slice(1, -1) };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || ["string", "number", "boolean"].includes(typeof value))
      return { kind: "fixed", value } as ItemValue;
  } catch {}
  return null;
}

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const QUOTES = new Set(['"', "'", "`"]);

/** Where the bracket opened at `from` closes (strings skipped), or -1. */
function closingOf(text: string, from: number): number {
  const stack: string[] = [];
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (QUOTES.has(c)) {
      i = endOfQuote(text, i);
      if (i < 0) return -1;
    } else if (OPENERS[c]) stack.push(OPENERS[c] as string);
    else if (c === ")" || c === "]" || c === "}") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

function endOfQuote(text: string, at: number): number {
  const q = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === "\\" && q !== "`") i++;
    else if (text[i] === q) return i;
  }
  return -1;
}

/** `a, (b, c), "d, e"` → `["a", "(b, c)", "\"d, e\""]`: split on commas outside brackets and strings. */
export function splitTopLevel(text: string): string[] {
  if (text === "") return [];
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (QUOTES.has(c)) {
      const end = endOfQuote(text, i);
      if (end < 0) return [text];
      i = end;
    } else if (OPENERS[c]) depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((part, i) => (i > 0 && part.startsWith(" ") ? part.slice(1) : part));
}
