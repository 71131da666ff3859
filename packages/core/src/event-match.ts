/**
 * Which events a connector takes: its `sourceEvent` is an exact name (`order.created`), a trailing
 * wildcard (`order.*`: every name under `order.`, at any depth) or `*` (every event).
 */

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.:\-/]{0,199}$/;
const PATTERN_RE = /^(\*|[A-Za-z0-9_][A-Za-z0-9_.:\-/]{0,199}(\.\*)?)$/;

export function isValidEventName(name: string): boolean {
  return NAME_RE.test(name) && !name.includes("..") && !name.endsWith(".");
}

export function isValidSourceEventPattern(pattern: string): boolean {
  if (!PATTERN_RE.test(pattern)) return false;
  const stem = pattern.endsWith(".*") ? pattern.slice(0, -2) : pattern;
  return pattern === "*" || isValidEventName(stem);
}

export function matchesSourceEvent(pattern: string, name: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return name.startsWith(pattern.slice(0, -1)) && name.length > pattern.length - 1;
  return pattern === name;
}

/** A name `pattern` matches, to render an example with: `order.*` → `order.example`, `*` → `example`. */
export function exampleEventName(pattern: string): string {
  if (pattern === "*") return "example";
  return pattern.endsWith(".*") ? `${pattern.slice(0, -2)}.example` : pattern;
}

/**
 * Every pattern that matches `name`: the name itself, `*`, and a wildcard per dotted prefix
 * (`a.b.c` -> `a.b.c`, `a.*`, `a.b.*`, `*`), so the database can select connectors with an index lookup.
 */
export function patternsMatching(name: string): string[] {
  const out = [name, "*"];
  const parts = name.split(".");
  for (let i = 1; i < parts.length; i++) out.push(`${parts.slice(0, i).join(".")}.*`);
  return out;
}
