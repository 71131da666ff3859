// Paths into a sample event, for the mapping editor's completion: `$.payload.items[0].sku` for
// JSONPath strings and `event.payload.items.0.sku` inside `<<…>>` placeholders (DESIGN §6).

export interface EventPath {
  /** JSONPath form, e.g. `$.payload.items[0].sku`. */
  jsonPath: string;
  /** Placeholder form, e.g. `event.payload.items.0.sku`. */
  dotPath: string;
  /** A short preview of the value found there. */
  preview: string;
  kind: "object" | "array" | "string" | "number" | "boolean" | "null";
}

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_PATHS = 500;
const MAX_DEPTH = 8;

function kindOf(value: unknown): EventPath["kind"] {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  return t === "object"
    ? "object"
    : t === "number" || t === "bigint"
      ? "number"
      : t === "boolean"
        ? "boolean"
        : "string";
}

function previewOf(value: unknown): string {
  const kind = kindOf(value);
  if (kind === "object") return `{${Object.keys(value as object).length} keys}`;
  if (kind === "array") return `[${(value as unknown[]).length} items]`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The envelope the mapping is rendered against: `{id, name, source, time, payload}`. */
export function eventEnvelope(sample: unknown): Record<string, unknown> {
  const s = (sample && typeof sample === "object" ? sample : {}) as Record<string, unknown>;
  return {
    id: s.id ?? "evt_sample",
    name: s.name ?? "sample.event",
    source: s.source ?? "sample",
    time: s.time ?? new Date(0).toISOString(),
    payload: s.payload ?? {},
  };
}

/** Every path in the sample event envelope, breadth first, bounded. */
export function eventPaths(sample: unknown): EventPath[] {
  const out: EventPath[] = [];
  const queue: Array<{ value: unknown; jsonPath: string; dotPath: string; depth: number }> = [
    { value: eventEnvelope(sample), jsonPath: "$", dotPath: "event", depth: 0 },
  ];
  while (queue.length > 0 && out.length < MAX_PATHS) {
    const { value, jsonPath, dotPath, depth } = queue.shift()!;
    if (depth >= MAX_DEPTH) continue;
    const entries: Array<[string, unknown, string, string]> = [];
    if (Array.isArray(value)) {
      value.slice(0, 3).forEach((item, i) => {
        entries.push([String(i), item, `${jsonPath}[${i}]`, `${dotPath}.${i}`]);
      });
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const jp = SIMPLE_KEY.test(key) ? `${jsonPath}.${key}` : `${jsonPath}[${JSON.stringify(key)}]`;
        entries.push([key, item, jp, `${dotPath}.${key}`]);
      }
    }
    for (const [, item, jp, dp] of entries) {
      out.push({ jsonPath: jp, dotPath: dp, preview: previewOf(item), kind: kindOf(item) });
      if (item && typeof item === "object") queue.push({ value: item, jsonPath: jp, dotPath: dp, depth: depth + 1 });
      if (out.length >= MAX_PATHS) break;
    }
  }
  return out;
}

export type CompletionContext =
  | { kind: "jsonPath"; typed: string }
  | { kind: "event"; typed: string }
  | { kind: "secret"; typed: string }
  | null;

/**
 * What the user is typing, from the text of the line before the cursor: a JSONPath string
 * (`"$.pay`), an event placeholder (`<<event.pay`) or a secret placeholder (`<<secret.`).
 */
export function completionContext(lineBeforeCursor: string): CompletionContext {
  const placeholder = /(?:<<|\{\{)\s*(event|secret)\.([A-Za-z0-9_.$-]*)$/.exec(lineBeforeCursor);
  if (placeholder) {
    return placeholder[1] === "secret"
      ? { kind: "secret", typed: placeholder[2] ?? "" }
      : { kind: "event", typed: `event.${placeholder[2] ?? ""}` };
  }
  const jsonPath = /"(\$(?:[.[][^"]*)?)$/.exec(lineBeforeCursor);
  if (jsonPath) return { kind: "jsonPath", typed: jsonPath[1] ?? "$" };
  return null;
}

/**
 * What a path in the mapping means for the sample event, for the editor's hover: the string under the
 * cursor is a JSONPath (`$.payload.orderId`) or holds a `<<event.…>>` placeholder at that column.
 */
export function describePathAt(line: string, column: number, sample: unknown): string | null {
  // The JSON string literal around the (1-based) column.
  const index = column - 1;
  const re = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const start = m.index;
    const end = start + m[0].length;
    if (index < start || index >= end) continue;
    const text = m[1] ?? "";
    const paths = eventPaths(sample);
    if (/^\$(?:[.[]|$)/.test(text)) {
      const found = text === "$" ? null : paths.find((p) => p.jsonPath === text);
      if (text === "$") return "`$` → the whole event envelope";
      return found
        ? `\`${text}\` → \`${found.preview}\` (${found.kind})`
        : `\`${text}\` is not in the sample event: it renders as null (preview shows a warning)`;
    }
    for (const ph of text.matchAll(/(?:<<|\{\{)\s*(event\.[^>}\s]+)\s*(?:>>|\}\})/g)) {
      const from = start + 1 + (ph.index ?? 0);
      if (index < from || index > from + ph[0].length) continue;
      const dot = ph[1] ?? "";
      const found = paths.find((p) => p.dotPath === dot);
      return found
        ? `\`${dot}\` → \`${found.preview}\` (${found.kind})`
        : `\`${dot}\` is not in the sample event: it renders as empty text`;
    }
    return null;
  }
  return null;
}
