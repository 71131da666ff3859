// Paths into the event envelope `{ id, name, source, time, payload }` in the three spellings the mapping
// language uses (DESIGN §6, §10): a JSONPath (`$.payload.items[0].sku`), a placeholder path
// (`<<event.payload.items.0.sku>>`) and a JSONata path inside a formula (`payload.items[0].sku`).
// The visual mapper keeps paths as segments and writes each spelling from them.

export type Segment = string | number;

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `["payload", "items", 0, "sku"]` → `$.payload.items[0].sku` (odd keys as `['a b']`). */
export function jsonPathOf(segments: Segment[]): string {
  let out = "$";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (SIMPLE.test(s)) out += `.${s}`;
    else out += `['${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
  }
  return out;
}

const TOKEN = /^(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\])/;

/** The segments of a JSONPath written as {@link jsonPathOf} writes them (names and indices); else null. */
export function segmentsOf(path: string): Segment[] | null {
  if (!path.startsWith("$")) return null;
  const out: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = TOKEN.exec(rest);
    if (!m) return null;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] as string).replace(/\\(.)/g, "$1"));
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** A placeholder for the segments (`<<event.payload.items.0.sku>>`), or null when a key cannot be spelled there. */
export function placeholderOf(segments: Segment[]): string | null {
  const parts: string[] = [];
  for (const s of segments) {
    if (typeof s === "string" && (s === "" || /[.<>{}\s]/.test(s))) return null;
    parts.push(String(s));
  }
  return `<<event.${parts.join(".")}>>`;
}

const JSONATA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The segments as a JSONata path from the envelope (`payload.items[0].sku`); `root` prefixes it (`$item`). */
export function jsonataPathOf(segments: Segment[], root = ""): string {
  let out = root;
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else {
      const name = JSONATA_NAME.test(s) ? s : `\`${s}\``;
      out += out === "" ? name : `.${name}`;
    }
  }
  return out;
}

const JSONATA_TOKEN = /^(?:\.?([A-Za-z_][A-Za-z0-9_]*)|\.?`([^`]+)`|\[(\d+)\])/;

/** The segments of a JSONata path written as {@link jsonataPathOf} writes it after `root`; else null. */
export function jsonataSegmentsOf(text: string, root = ""): Segment[] | null {
  if (!text.startsWith(root)) return null;
  let rest = text.slice(root.length);
  const out: Segment[] = [];
  while (rest.length > 0) {
    const m = JSONATA_TOKEN.exec(rest);
    if (!m) return null;
    out.push(m[1] ?? m[2] ?? Number(m[3]));
    rest = rest.slice(m[0].length);
  }
  // Only the spelling jsonataPathOf writes (dots exactly where it puts them).
  return jsonataPathOf(out, root) === text ? out : null;
}

/** A readable name for a target field taken from a path: its last key (`orderId`), or the key before an index. */
export function fieldNameFor(segments: Segment[]): string {
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (typeof s === "string") return s.replace(/\./g, "_");
  }
  return "value";
}

/** The value at the segments, or undefined. */
export function valueAt(root: unknown, segments: Segment[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== "object") return undefined;
    if (!Object.hasOwn(node, s)) return undefined;
    node = (node as Record<string, unknown>)[s as string];
  }
  return node;
}

/** How a value's type reads to a person. */
export function typeOf(value: unknown): "text" | "number" | "true/false" | "null" | "object" | "list" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "text";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "true/false";
  return "object";
}

/** JSONPaths of every value in `root` (lists: their first items), for pickers; at most `max`. */
export function jsonPathsIn(root: unknown, max = 200): string[] {
  const out: string[] = [];
  const walk = (node: unknown, segments: Segment[]) => {
    if (out.length >= max) return;
    if (segments.length) out.push(jsonPathOf(segments));
    if (node !== null && typeof node === "object") {
      const entries = Array.isArray(node) ? node.slice(0, 3).map((v, i) => [i, v] as const) : Object.entries(node);
      for (const [k, v] of entries) walk(v, [...segments, k]);
    }
  };
  walk(root, []);
  return out;
}
