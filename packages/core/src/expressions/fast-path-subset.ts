/**
 * What the synchronous fast path (`fast-path.ts`) compiles: JSONata syntax-tree nodes of these types with
 * exactly these keys (a predicate, a stage, a group, a focus, `keepArray` … add keys it does not take), these
 * operators, these functions. Everything else is evaluated by JSONata.
 */

export interface Node {
  type: string;
  value?: unknown;
  position?: number;
  steps?: Node[];
  lhs?: Node | [Node, Node][];
  rhs?: Node;
  expression?: Node;
  expressions?: Node[];
  condition?: Node;
  then?: Node;
  else?: Node;
  arguments?: Node[];
  procedure?: Node;
}

/** Own keys each node type may have: any other (predicate, stages, group, focus, keepArray, …) is not ours. */
export const KEYS: Record<string, ReadonlySet<string>> = {
  path: new Set(["type", "steps"]),
  name: new Set(["type", "value", "position"]),
  string: new Set(["type", "value", "position"]),
  number: new Set(["type", "value", "position"]),
  value: new Set(["type", "value", "position"]),
  variable: new Set(["type", "value", "position"]),
  binary: new Set(["type", "value", "position", "lhs", "rhs"]),
  unary: new Set(["type", "value", "position", "expression", "expressions", "lhs"]),
  condition: new Set(["type", "position", "condition", "then", "else"]),
  block: new Set(["type", "position", "expressions"]),
  // `name` is always there, undefined (the parser's slot for a lambda's name).
  function: new Set(["type", "name", "value", "position", "arguments", "procedure"]),
};

export const BINARY = new Set(["+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "&", "and", "or", "in"]);

/** JSONata built-ins that are synchronous, pure and bounded by their input (no `$now`, no callbacks, no `$pad`). */
export const BUILTINS = new Set(
  (
    "sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim " +
    "join number floor ceil round abs boolean not exists lookup keys type base64encode encodeUrlComponent " +
    "fromMillis toMillis formatNumber"
  ).split(" "),
);
/** Ours (functions.ts), registered without a signature. */
export const EXTRAS = new Set(["default", "sha256", "hmacSha256", "formatDate", "secret"]);

/** Does the subtree call `$secret`? */
export function readsSecret(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some(readsSecret);
  const n = node as Node;
  if (n.type === "variable" && n.value === "secret") return true;
  return Object.values(n).some((value) => value !== null && typeof value === "object" && readsSecret(value));
}
