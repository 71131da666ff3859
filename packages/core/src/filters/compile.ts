import { JSONPath } from "jsonpath-plus";
import { CompiledExpression, ExpressionFailure, type ExpressionLimits } from "../expressions/compile.ts";
import type { ExpressionRuntime } from "../expressions/functions.ts";
import type { EventEnvelope } from "../mapping.ts";
import { DEFAULT_MAPPING_LIMITS, parsePath } from "../mapping-syntax.ts";
import { type FilterNode, type FilterRule, filterProblems } from "./rules.ts";

/**
 * A filter compiled to a predicate, once per connector version (the owner caches it). Rules run
 * synchronously and cost a few property reads; an `{expression}` filter is JSONata with the mapping's budgets.
 */

export interface FilterOutcome {
  matched: boolean;
  /** Which rule decided, with the value it saw; or why the filter could not be evaluated (`error`). */
  reason: string;
  /** Set when the filter could not be evaluated (an expression failed): the event is not taken. */
  error?: string;
}

export interface CompiledFilter {
  test(event: EventEnvelope): FilterOutcome | Promise<FilterOutcome>;
}

const PASS: FilterOutcome = { matched: true, reason: "no filter: every event with the name" };

/** The filter that takes everything (`filter: null`). */
export const NO_FILTER: CompiledFilter = { test: () => PASS };

type Check = (event: EventEnvelope) => { ok: boolean; reason: string };

/**
 * Compile a stored filter. A filter that is not valid (it was checked on save, so only if the rules
 * changed since) compiles to one that rejects every event with the problem as its error.
 */
export function compileFilter(
  filter: unknown,
  options: { runtime?: ExpressionRuntime; limits?: Partial<ExpressionLimits> } = {},
): CompiledFilter {
  if (filter === null || filter === undefined) return NO_FILTER;
  const problems = filterProblems(filter);
  if (problems.length > 0) {
    const first = problems[0] as (typeof problems)[number];
    const error = `filter${first.path.length ? `.${first.path.join(".")}` : ""}: ${first.message}`;
    return { test: () => ({ matched: false, reason: error, error }) };
  }
  const record = filter as Record<string, unknown>;
  if (typeof record.expression === "string") return expressionFilter(record.expression, options);
  const check = node(filter as FilterNode, "");
  return {
    test(event) {
      const { ok, reason } = check(event);
      return { matched: ok, reason };
    },
  };
}

function expressionFilter(
  source: string,
  options: { runtime?: ExpressionRuntime; limits?: Partial<ExpressionLimits> },
): CompiledFilter {
  let compiled: CompiledExpression;
  try {
    compiled = new CompiledExpression(source, options);
  } catch (error) {
    const message = `filter.expression: ${(error as Error).message}`;
    return { test: () => ({ matched: false, reason: message, error: message }) };
  }
  return {
    async test(event) {
      try {
        const { value } = await compiled.evaluate(event, { secrets: {}, missingSecret: "error" });
        const matched = truthy(value);
        return { matched, reason: `the expression gave ${show(value)}` };
      } catch (error) {
        const message = `filter.expression: ${error instanceof ExpressionFailure ? error.message : String(error)}`;
        return { matched: false, reason: message, error: message };
      }
    },
  };
}

/** JSONata's truthiness (`$boolean`): empty text, 0, null, empty arrays and objects are false. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value.length > 0;
  if (typeof value === "number") return value !== 0;
  if (Array.isArray(value)) return value.some(truthy);
  if (typeof value === "object") return Object.keys(value).length > 0;
  return false;
}

function node(filter: FilterNode, at: string): Check {
  if ("all" in filter) {
    const checks = filter.all.map((child, i) => node(child, join(at, `all[${i}]`)));
    return (event) => {
      for (const check of checks) {
        const result = check(event);
        if (!result.ok) return result;
      }
      return { ok: true, reason: `${at || "all"}: every rule matched` };
    };
  }
  if ("any" in filter) {
    const checks = filter.any.map((child, i) => node(child, join(at, `any[${i}]`)));
    return (event) => {
      const failures: string[] = [];
      for (const check of checks) {
        const result = check(event);
        if (result.ok) return result;
        failures.push(result.reason);
      }
      const shown = failures.slice(0, 3).join("; ");
      return { ok: false, reason: `no rule of ${at || "any"} matched: ${shown}${failures.length > 3 ? "; …" : ""}` };
    };
  }
  if ("not" in filter) {
    const check = node(filter.not, join(at, "not"));
    return (event) => {
      const result = check(event);
      return result.ok
        ? { ok: false, reason: `${join(at, "not")}: ${result.reason}` }
        : { ok: true, reason: `${join(at, "not")}: ${result.reason}` };
    };
  }
  return rule(filter, at || "rule");
}

function join(at: string, segment: string): string {
  return at ? `${at}.${segment}` : segment;
}

function rule(spec: FilterRule, at: string): Check {
  const read = reader(spec.path);
  const test = predicate(spec);
  const text = `${spec.path} ${spec.op}${spec.op === "exists" ? "" : ` ${show(spec.value)}`}`;
  return (event) => {
    const seen = read(event);
    const ok = test(seen);
    return { ok, reason: `${at} (${text}) ${ok ? "matched" : "failed"}: saw ${show(seen)}` };
  };
}

/** The value at a JSONPath: definite paths are walked directly, others go through jsonpath-plus (a list). */
function reader(path: string): (event: EventEnvelope) => unknown {
  const parsed = parsePath(path, DEFAULT_MAPPING_LIMITS);
  const members = parsed.members;
  if (members) {
    return (event) => {
      let current: unknown = event;
      for (const member of members) {
        if (current === null || current === undefined || !Object.hasOwn(Object(current), member)) return undefined;
        current = (current as Record<string, unknown>)[member];
      }
      return current;
    };
  }
  return (event) => JSONPath({ path: parsed.path, json: event as never, eval: false, wrap: true }) ?? [];
}

function predicate(spec: FilterRule): (seen: unknown) => boolean {
  const { value } = spec;
  switch (spec.op) {
    case "eq":
      return (seen) => same(seen, value);
    case "ne":
      return (seen) => !same(seen, value);
    case "gt":
      return (seen) => comparable(seen, value) && (seen as number) > (value as number);
    case "gte":
      return (seen) => comparable(seen, value) && (seen as number) >= (value as number);
    case "lt":
      return (seen) => comparable(seen, value) && (seen as number) < (value as number);
    case "lte":
      return (seen) => comparable(seen, value) && (seen as number) <= (value as number);
    case "in": {
      const list = value as unknown[];
      const primitives = new Set(list.filter((v) => v === null || typeof v !== "object"));
      return (seen) =>
        seen === null || typeof seen !== "object" ? primitives.has(seen) : list.some((v) => same(seen, v));
    }
    case "nin": {
      const inList = predicate({ ...spec, op: "in" });
      return (seen) => !inList(seen);
    }
    case "exists": {
      const wanted = value !== false;
      return (seen) => (seen !== undefined && !(Array.isArray(seen) && seen.length === 0)) === wanted;
    }
    case "contains":
      return (seen) =>
        typeof seen === "string"
          ? typeof value === "string" && seen.includes(value)
          : Array.isArray(seen) && seen.some((v) => same(v, value));
    case "startsWith":
      return (seen) => typeof seen === "string" && seen.startsWith(value as string);
    case "endsWith":
      return (seen) => typeof seen === "string" && seen.endsWith(value as string);
  }
}

/** Numbers with numbers, strings with strings (ISO dates compare as text); anything else never matches. */
function comparable(a: unknown, b: unknown): boolean {
  return (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
}

/** Equality of JSON values: strict for scalars (`"10"` is not `10`), structural for objects and arrays. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(value: unknown): string {
  if (value === undefined) return "nothing (missing)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
