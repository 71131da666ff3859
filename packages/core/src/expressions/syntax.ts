import jsonata from "jsonata";

/**
 * Mapping expressions (DESIGN §10): a mapping, URL, header or query string that is exactly `{% … %}` is a
 * JSONata expression. This file knows what one looks like and checks it without an event (save time);
 * compiling and evaluating are in `compile.ts`.
 */

/** Longest expression accepted on save, in characters of the whole `{% … %}` string. */
export const MAX_EXPRESSION_LENGTH = 16 * 1024;

const OPEN = "{%";
const CLOSE = "%}";

/** A string the mapping treats as a JSONata expression. */
export function isExpression(value: unknown): value is `{%${string}%}` {
  return typeof value === "string" && value.length >= 4 && value.startsWith(OPEN) && value.endsWith(CLOSE);
}

/** The JSONata text between `{%` and `%}`; positions inside it are shifted by this much in the string. */
export function expressionBody(source: string): string {
  return source.slice(OPEN.length, -CLOSE.length);
}
export const BODY_OFFSET = OPEN.length;

/** Functions we add to JSONata's own (see `functions.ts`). */
export const EXTRA_FUNCTIONS = ["secret", "formatDate", "default", "sha256", "hmacSha256"] as const;

/** JSONata 2.x built-ins (`$now` and `$millis` are bound per expression, the rest in its static frame). */
export const BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    "sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim " +
    "pad match contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil " +
    "round abs sqrt power random boolean not map zip filter single reduce sift keys lookup append exists spread " +
    "merge reverse each error assert type sort shuffle distinct base64encode base64decode encodeUrlComponent " +
    "encodeUrl decodeUrlComponent decodeUrl toMillis fromMillis clone now millis"
  ).split(" "),
);

/**
 * Built-ins an expression may not call. `$eval` compiles its argument, which may be event text: an event
 * must never be able to run code (DESIGN §10, "text from the event is never evaluated").
 */
export const FORBIDDEN_FUNCTIONS: ReadonlySet<string> = new Set(["eval"]);

const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set([...BUILTIN_FUNCTIONS, ...EXTRA_FUNCTIONS]);

/** One problem found on save: `position` is 1-based, in characters of the whole `{% … %}` string. */
export interface ExpressionProblem {
  message: string;
  position?: number;
}

/** What a saved expression refers to, found in its syntax tree. */
export interface ExpressionFacts {
  /** Literal names passed to `$secret('…')`. */
  secrets: string[];
  /** It mentions `$secret` at all (a call with any name, or the function as a value). */
  readsSecrets: boolean;
}

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  procedure?: AstNode;
  arguments?: AstNode[];
  lhs?: AstNode;
  [key: string]: unknown;
}

interface JsonataFailure {
  code?: string;
  position?: number;
  message?: string;
}

/** Parse an expression's body: the tree, or a problem with its position in the whole string. */
export function parseExpression(source: string): { ast: AstNode } | { problem: ExpressionProblem } {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return {
      problem: { message: `the expression is ${source.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}` },
    };
  }
  const body = expressionBody(source);
  if (body.trim() === "") return { problem: { message: "the expression is empty", position: BODY_OFFSET + 1 } };
  try {
    return { ast: jsonata(body).ast() as AstNode };
  } catch (error) {
    const failure = error as JsonataFailure;
    const position = typeof failure.position === "number" ? BODY_OFFSET + Math.max(1, failure.position) : undefined;
    return {
      problem: {
        message: `syntax error${position ? ` at character ${position}` : ""}: ${failure.message ?? String(error)}`,
        ...(position ? { position } : {}),
      },
    };
  }
}

/**
 * Check an expression without an event: it parses, stays under {@link MAX_EXPRESSION_LENGTH}, and calls only
 * known functions (JSONata's, ours, or ones it defines itself with `:=` or as a parameter).
 */
export function checkExpression(source: string): ExpressionProblem[] {
  const parsed = parseExpression(source);
  if ("problem" in parsed) return [parsed.problem];
  const defined = new Set<string>();
  const calls: { name: string; position: number }[] = [];
  visit(parsed.ast, (node) => {
    if (node.type === "bind" && node.lhs?.type === "variable") defined.add(String(node.lhs.value));
    if (node.type === "lambda") for (const arg of node.arguments ?? []) defined.add(String(arg.value));
    if ((node.type === "function" || node.type === "partial") && node.procedure?.type === "variable") {
      const name = String(node.procedure.value);
      const end = node.procedure.position ?? 0;
      calls.push({ name, position: BODY_OFFSET + Math.max(1, end - name.length) });
    }
  });
  const problems: ExpressionProblem[] = [];
  for (const { name, position } of calls) {
    if (FORBIDDEN_FUNCTIONS.has(name) && !defined.has(name)) {
      problems.push({ message: `$${name} is not allowed (at character ${position})`, position });
    } else if (!KNOWN_FUNCTIONS.has(name) && !defined.has(name)) {
      problems.push({ message: `unknown function $${name} (at character ${position})`, position });
    }
  }
  return problems;
}

/** The secrets an expression reads (literal `$secret('name')` calls), or null when it does not parse. */
export function expressionFacts(source: string): ExpressionFacts | null {
  const parsed = parseExpression(source);
  if ("problem" in parsed) return null;
  const secrets = new Set<string>();
  let readsSecrets = false;
  visit(parsed.ast, (node) => {
    // Any mention of `$secret` (a call, or the function passed as a value to `$map` and the like).
    if (node.type === "variable" && node.value === "secret") readsSecrets = true;
    if (
      (node.type === "function" || node.type === "partial") &&
      node.procedure?.type === "variable" &&
      node.procedure.value === "secret"
    ) {
      readsSecrets = true;
      const first = node.arguments?.[0];
      if (first?.type === "string" && typeof first.value === "string") secrets.add(first.value);
    }
  });
  return { secrets: [...secrets].sort(), readsSecrets };
}

/** Depth-first over every node of a JSONata syntax tree (iterative: a deep tree cannot overflow the stack). */
function visit(root: AstNode, fn: (node: AstNode) => void) {
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (typeof (node as AstNode).type === "string") fn(node as AstNode);
    for (const value of Object.values(node)) if (value !== null && typeof value === "object") stack.push(value);
  }
}
