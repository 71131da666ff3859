import { checkExpression, expressionFacts, isExpression } from "../expressions/syntax.ts";
import { DEFAULT_MAPPING_LIMITS, isJsonPath, parsePath } from "../mapping-syntax.ts";

/**
 * A connector's `filter` (DESIGN §10): which of the events with its name it takes. Either rules —
 * `{"all" | "any": [node…]}`, a node being a rule `{path, op, value}` or a nested `{"all" | "any" | "not": …}` —
 * or `{"expression": "{% … %}"}`. `null` takes every event. This file is the shape and its save-time checks;
 * `compile.ts` turns a filter into a predicate.
 */

export const FILTER_OPS = [
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "nin",
  "exists",
  "contains",
  "startsWith",
  "endsWith",
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const FILTER_LIMITS = {
  /** Levels of `all` / `any` / `not` (the top one counts). */
  maxDepth: 8,
  /** Rules in one filter. */
  maxRules: 200,
  /** Values in one `in` / `nin` list. */
  maxListValues: 1_000,
} as const;

export interface FilterRule {
  path: string;
  op: FilterOp;
  value?: unknown;
}
export type FilterGroup = { all: FilterNode[] } | { any: FilterNode[] } | { not: FilterNode };
export type FilterNode = FilterRule | FilterGroup;
export type ConnectorFilter = FilterGroup | { expression: string };

export interface FilterProblem {
  /** Where, relative to the filter: `["all", 1, "op"]`. */
  path: (string | number)[];
  message: string;
}

const OPS: ReadonlySet<string> = new Set(FILTER_OPS);
const ORDERED: ReadonlySet<string> = new Set(["gt", "gte", "lt", "lte"]);
const TEXT: ReadonlySet<string> = new Set(["startsWith", "endsWith"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const kind = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`);

/** Every problem of a filter, with where it is (empty = valid). `null` and `undefined` are valid (no filter). */
export function filterProblems(filter: unknown): FilterProblem[] {
  if (filter === null || filter === undefined) return [];
  const problems: FilterProblem[] = [];
  if (isRecord(filter) && "expression" in filter) {
    const extra = Object.keys(filter).filter((k) => k !== "expression");
    if (extra.length > 0)
      problems.push({ path: [extra[0] as string], message: "an expression filter has only `expression`" });
    const expression = filter.expression;
    if (!isExpression(expression)) {
      problems.push({ path: ["expression"], message: "must be a JSONata expression written as {% … %}" });
      return problems;
    }
    for (const problem of checkExpression(expression))
      problems.push({ path: ["expression"], message: problem.message });
    if (problems.length === 0 && expressionFacts(expression)?.readsSecrets) {
      problems.push({ path: ["expression"], message: "a filter cannot read secrets ($secret): it runs at ingest" });
    }
    return problems;
  }
  let rules = 0;
  const path: (string | number)[] = [];
  const problem = (message: string, ...more: (string | number)[]) =>
    problems.push({ path: [...path, ...more], message });

  const group = (node: Record<string, unknown>, depth: number): boolean => {
    const keys = Object.keys(node);
    const key = keys.find((k) => k === "all" || k === "any" || k === "not");
    if (!key) return false;
    if (keys.length > 1) {
      problem(`a group has exactly one of all, any or not (found ${keys.join(", ")})`);
      return true;
    }
    if (depth > FILTER_LIMITS.maxDepth) {
      problem(`the filter is nested more than ${FILTER_LIMITS.maxDepth} levels deep`);
      return true;
    }
    const children = node[key];
    path.push(key);
    if (key === "not") {
      if (!isRecord(children)) problem("`not` takes one rule or group");
      else visit(children, depth);
    } else if (!Array.isArray(children) || children.length === 0) {
      problem(`\`${key}\` takes a non-empty list of rules or groups`);
    } else {
      for (const [i, child] of children.entries()) {
        path.push(i);
        if (isRecord(child)) visit(child, depth);
        else problem(`must be a rule {path, op, value} or a group {all|any|not}, not ${kind(child)}`);
        path.pop();
      }
    }
    path.pop();
    return true;
  };

  const visit = (node: Record<string, unknown>, depth: number) => {
    if (problems.length >= 50) return;
    if (group(node, depth + 1)) return;
    if (++rules > FILTER_LIMITS.maxRules) {
      if (rules === FILTER_LIMITS.maxRules + 1) problem(`a filter has at most ${FILTER_LIMITS.maxRules} rules`);
      return;
    }
    ruleProblems(node, problem);
  };

  if (!isRecord(filter) || !group(filter, 1)) {
    problems.push({
      path: [],
      message: 'must be {"all": [rules]}, {"any": [rules]}, {"not": rule} or {"expression": "{% … %}"}',
    });
  }
  return problems;
}

function ruleProblems(rule: Record<string, unknown>, problem: (message: string, ...more: (string | number)[]) => void) {
  for (const key of Object.keys(rule)) {
    if (key !== "path" && key !== "op" && key !== "value")
      problem(`unknown field ${JSON.stringify(key)} in a rule`, key);
  }
  const { path, op, value } = rule;
  if (typeof path !== "string" || !isJsonPath(path)) {
    problem("must be a JSONPath into the event, e.g. $.payload.country", "path");
  } else {
    try {
      parsePath(path, DEFAULT_MAPPING_LIMITS);
    } catch (error) {
      problem((error as Error).message, "path");
    }
  }
  if (typeof op !== "string" || !OPS.has(op)) {
    problem(`unknown op ${JSON.stringify(op)}: use one of ${FILTER_OPS.join(", ")}`, "op");
    return;
  }
  const has = Object.hasOwn(rule, "value");
  if (op === "exists") {
    if (has && typeof value !== "boolean") problem("`exists` takes true (the default) or false", "value");
  } else if (!has) {
    problem(`\`${op}\` needs a value`, "value");
  } else if (op === "in" || op === "nin") {
    if (!Array.isArray(value)) problem(`\`${op}\` takes a list of values, not ${kind(value)}`, "value");
    else if (value.length > FILTER_LIMITS.maxListValues) {
      problem(`\`${op}\` takes at most ${FILTER_LIMITS.maxListValues} values`, "value");
    }
  } else if (ORDERED.has(op)) {
    if (typeof value !== "number" && typeof value !== "string") {
      problem(`\`${op}\` compares with a number or a string (e.g. an ISO date), not ${kind(value)}`, "value");
    }
  } else if (TEXT.has(op)) {
    if (typeof value !== "string") problem(`\`${op}\` takes a string, not ${kind(value)}`, "value");
  } else if (op === "contains") {
    if (value !== null && typeof value === "object") problem("`contains` takes a string, number or boolean", "value");
  }
}
