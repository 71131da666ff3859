// Paths for the Reconciliation section's pickers: every value in a sample, as the JSONPath an `expect`
// field takes (`$.response.body.id`, `$.payload.data.object.id`), with a short preview.
import { eventEnvelope } from "@/lib/paths";

export interface ValuePath {
  path: string;
  preview: string;
  /** A string, number or boolean: what a key can be. */
  scalar: boolean;
}

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_PATHS = 300;
const MAX_DEPTH = 8;

function preview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length} items]`;
  if (value && typeof value === "object") return `{${Object.keys(value).length} keys}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Every path under `value` (breadth first, bounded), starting at `root`. */
export function valuePaths(value: unknown, root = "$"): ValuePath[] {
  const out: ValuePath[] = [];
  const queue: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (queue.length > 0 && out.length < MAX_PATHS) {
    const next = queue.shift()!;
    if (next.depth >= MAX_DEPTH || !next.value || typeof next.value !== "object") continue;
    const entries = Array.isArray(next.value)
      ? next.value.slice(0, 3).map((item, i) => [`${next.path}[${i}]`, item] as const)
      : Object.entries(next.value as Record<string, unknown>).map(
          ([k, item]) =>
            [SIMPLE_KEY.test(k) ? `${next.path}.${k}` : `${next.path}[${JSON.stringify(k)}]`, item] as const,
        );
    for (const [path, item] of entries) {
      out.push({ path, preview: preview(item), scalar: item !== null && typeof item !== "object" });
      if (item && typeof item === "object") queue.push({ value: item, path, depth: next.depth + 1 });
      if (out.length >= MAX_PATHS) break;
    }
  }
  return out;
}

/** Parsed sample text; text that is not JSON stays text (a form or plain-text answer). */
export function sampleValue(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What `key` and `compare[].expected` read: the delivered event and the destination's answer. */
export function deliveryRoot(sampleEvent: unknown, responseText: string) {
  return {
    event: eventEnvelope(sampleEvent),
    response: { status: 200, headers: { "content-type": "application/json" }, body: sampleValue(responseText) ?? {} },
  };
}

/** What `eventKey` and `compare[].observed` read: the confirmation's envelope. */
export function confirmationRoot(confirmationText: string) {
  return eventEnvelope(sampleValue(confirmationText));
}
