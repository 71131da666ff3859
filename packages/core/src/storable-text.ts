/**
 * Text PostgreSQL cannot store. `text` and `jsonb` refuse the NUL character (U+0000); `jsonb` also refuses
 * an unpaired UTF-16 surrogate (valid as a JSON escape, `"\ud800"`, but not a character). A `json` column
 * takes both, so whatever becomes an event is checked here first and refused with the place it was found:
 * stored anyway, such an event would reach a delivery whose request (a jsonb column) could not be recorded.
 */

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNPAIRED_SURROGATES = new RegExp(UNPAIRED_SURROGATE.source, "g");
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
 * deeply nested body cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, root = "$"): string | null {
  if (typeof value === "string") return problemOf(value, () => root);
  if (value === null || typeof value !== "object") return null;
  const stack: Container[] = [{ value, parent: null, key: null }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const here = node;
    const entries: [string | number, unknown][] = Array.isArray(here.value)
      ? here.value.map((item, i) => [i, item])
      : Object.entries(here.value);
    for (const [key, item] of entries) {
      const at = () => pathOf(root, here, key);
      const inKey = typeof key === "string" ? problemOf(key, at) : null;
      if (inKey) return inKey.replace(" at ", " in the key at ");
      if (typeof item === "string") {
        const problem = problemOf(item, at);
        if (problem) return problem;
      } else if (item !== null && typeof item === "object") stack.push({ value: item, parent: here, key });
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

function problemOf(text: string, at: () => string): string | null {
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
