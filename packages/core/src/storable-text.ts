/**
 * Text PostgreSQL cannot store. `text` and `jsonb` refuse the NUL character (U+0000); `jsonb` also refuses
 * an unpaired UTF-16 surrogate (valid as a JSON escape, `"\ud800"`, but not a character). A `json` column
 * takes both, so whatever becomes an event is checked here first and refused with the place it was found:
 * stored anyway, such an event would reach a delivery whose request (a jsonb column) could not be recorded.
 */

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNPAIRED_SURROGATES = new RegExp(UNPAIRED_SURROGATE.source, "g");
/** Any surrogate, paired or not: the cheap test every string takes before the exact one. */
const SURROGATE = /[\ud800-\udfff]/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

interface Container {
  value: object;
  parent: Container | null;
  /** Where this container sits in its parent. */
  key: string | number | null;
}

/**
 * Where `value` (a JSON value) holds a string or a key PostgreSQL cannot store, as a sentence fragment with
 * its JSONPath: `a NUL character (\u0000) at $.payload.note`. Null when everything can be stored. Paths
 * only, never the text itself: the reason is shown to roles that may not read payloads. Iterative, so a
 * deeply nested body cannot overflow the stack; it runs on every event ingested, so the common case (nothing
 * found) allocates one record per object or array and nothing per string.
 */
export function findUnstorableText(value: unknown, root = "$"): string | null {
  if (typeof value === "string") return suspect(value) ? problemOf(value, root, null, null) : null;
  if (value === null || typeof value !== "object") return null;
  const stack: Container[] = [{ value, parent: null, key: null }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const here = node.value;
    if (Array.isArray(here)) {
      for (let i = 0; i < here.length; i++) {
        const item: unknown = here[i];
        if (typeof item === "string") {
          if (suspect(item)) {
            const problem = problemOf(item, root, node, i);
            if (problem) return problem;
          }
        } else if (item !== null && typeof item === "object") stack.push({ value: item, parent: node, key: i });
      }
      continue;
    }
    const record = here as Record<string, unknown>;
    // for…in, not Object.entries: no array per object. A parsed JSON object has no inherited enumerable keys.
    for (const key in record) {
      if (suspect(key)) {
        const problem = problemOf(key, root, node, key);
        if (problem) return problem.replace(" at ", " in the key at ");
      }
      const item = record[key];
      if (typeof item === "string") {
        if (suspect(item)) {
          const problem = problemOf(item, root, node, key);
          if (problem) return problem;
        }
      } else if (item !== null && typeof item === "object") stack.push({ value: item, parent: node, key });
    }
  }
  return null;
}

/**
 * `text` with what PostgreSQL cannot store replaced, for evidence kept about something refused (a rejected
 * webhook's body, a refused message's headers): NUL becomes U+2400 (␀), an unpaired surrogate U+FFFD.
 */
export function storableText(text: string): string {
  return text.replaceAll("\u0000", "\u2400").replace(UNPAIRED_SURROGATES, "\ufffd");
}

function suspect(text: string): boolean {
  return text.includes("\u0000") || SURROGATE.test(text);
}

function problemOf(
  text: string,
  root: string,
  container: Container | null,
  key: string | number | null,
): string | null {
  const at = () => (container === null || key === null ? root : pathOf(root, container, key));
  if (text.includes("\u0000")) return `a NUL character (\\u0000) at ${at()}`;
  if (UNPAIRED_SURROGATE.test(text)) return `an unpaired UTF-16 surrogate at ${at()}`;
  return null;
}

function pathOf(root: string, container: Container, key: string | number): string {
  const keys: (string | number)[] = [key];
  for (let node: Container | null = container; node?.parent; node = node.parent) keys.push(node.key as string | number);
  let path = root;
  for (const k of keys.reverse()) {
    if (typeof k === "number") path += `[${k}]`;
    else path += IDENTIFIER.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
  }
  return path;
}
