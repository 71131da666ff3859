import { JSONPath } from "jsonpath-plus";
import { canonicalJson } from "./canonical.ts";
import { CompiledExpression, checkExpression, expressionFacts, isExpression } from "./expressions/index.ts";
import { DEFAULT_MAPPING_LIMITS, isJsonPath, parsePath } from "./mapping-syntax.ts";

/**
 * Reconciliation (DESIGN §14), the pure part: checking and evaluating the paths of a connector's `expect`,
 * turning a successful delivery into an expectation's key and expected values, an incoming event into its
 * key and observed values, and comparing the two. No I/O; the engine stores and matches.
 */

/** What a connector declares: a successful delivery should be followed by `eventName` within `withinMs`. */
export interface Expect {
  eventName: string;
  key: string;
  eventKey: string;
  withinMs: number;
  compare?: ComparePair[];
}

export interface ComparePair {
  /** Over `{event, response}`: the value we sent or were answered. */
  expected: string;
  /** Over the incoming event: the value the provider confirms. */
  observed: string;
  /** Compared only when the incoming event has a value at `observed` (a provider that sends it sometimes). */
  optional?: boolean;
}

/** One compared value as stored when the expectation opens. */
export interface ExpectedValue extends ComparePair {
  value: unknown;
}

/** One observed value as stored when the expectation closes. */
export interface ObservedValue {
  observed: string;
  value: unknown;
  /** The event had nothing at `observed` (`value` is then null). */
  missing?: boolean;
}

/**
 * What a path is evaluated over. `delivery`: `{event, response}` (the delivered event's envelope and the
 * destination's answer `{status, headers, body}`); `event`: the incoming event's envelope `{id, name,
 * source, time, payload}`.
 */
export type ExpectPathRoot = "delivery" | "event";

const ROOT_MEMBERS: Record<ExpectPathRoot, readonly string[]> = {
  delivery: ["event", "response"],
  event: ["id", "name", "source", "time", "payload"],
};

/** Longest text a key may have; longer values are not keys (they are documents). */
export const MAX_KEY_LENGTH = 500;

/**
 * Compiled `{% … %}` paths of one piece of work (one delivery's opening, one ingest batch's matching):
 * each expression is compiled once per piece, never kept beyond it.
 */
export type CompiledPaths = Map<string, CompiledExpression>;

/**
 * Problems with one path of `expect` (empty = fine). A JSONPath must start at one of the root's members
 * (`$.response.body.id`, not `$.body.id`); `single` paths (the keys) must point at one value (no wildcard,
 * no `..`, no union).
 */
export function checkExpectPath(path: string, root: ExpectPathRoot, options: { single?: boolean } = {}): string[] {
  const members = ROOT_MEMBERS[root];
  const where = members.map((m) => `$.${m}`).join(", ");
  if (isExpression(path)) {
    const problems = checkExpression(path).map((p) => p.message);
    if (problems.length === 0 && expressionFacts(path)?.readsSecrets) {
      problems.push("cannot read secrets ($secret): reconciliation values are stored and shown");
    }
    return problems;
  }
  if (!isJsonPath(path)) return [`must be a JSONPath starting with ${where} (or a {% … %} expression)`];
  let parsed: ReturnType<typeof parsePath>;
  try {
    parsed = parsePath(path, DEFAULT_MAPPING_LIMITS);
  } catch (error) {
    return [(error as Error).message];
  }
  const segments = JSONPath.toPathArray(path).slice(1);
  const first = segments[0];
  if (first === undefined) return [`must name a value under ${where}`];
  if (first !== ".." && first !== "*" && !members.includes(first)) {
    return [`must start with ${where} (it starts with $.${first})`];
  }
  if (options.single && !parsed.definite) return ["must point at one value (no wildcard, .. or union)"];
  return [];
}

export type Evaluated = { found: true; value: unknown } | { found: false; reason: string };

/**
 * The value a path finds in `data` (see {@link ExpectPathRoot}); never throws. An expression's root is the
 * same object: `{% response.body.id %}`, `{% payload.amount / 100 %}`.
 */
export async function evaluateExpectPath(
  path: string,
  data: unknown,
  compiled: CompiledPaths = new Map(),
): Promise<Evaluated> {
  try {
    if (isExpression(path)) {
      let expression = compiled.get(path);
      if (!expression) {
        expression = new CompiledExpression(path);
        compiled.set(path, expression);
      }
      const { value } = await expression.evaluate(data);
      return value === undefined ? { found: false, reason: `${path} gave nothing` } : { found: true, value };
    }
    const parsed = parsePath(path, DEFAULT_MAPPING_LIMITS);
    const results = (JSONPath({ path: parsed.path, json: data as never, eval: false, wrap: true }) ?? []) as unknown[];
    if (parsed.definite) {
      const [value] = results;
      return value === undefined ? { found: false, reason: `${path} found nothing` } : { found: true, value };
    }
    return { found: true, value: results };
  } catch (error) {
    return { found: false, reason: `${path} failed: ${(error as Error).message}` };
  }
}

/** A found value as a key: text, numbers and booleans as text; anything else is not a key. */
export function keyText(value: unknown): { key: string } | { error: string } {
  if (typeof value === "string") {
    if (value === "") return { error: "the key is empty" };
    if (value.length > MAX_KEY_LENGTH) return { error: `the key is longer than ${MAX_KEY_LENGTH} characters` };
    return { key: value };
  }
  if (typeof value === "number" && Number.isFinite(value)) return { key: String(value) };
  if (typeof value === "boolean") return { key: String(value) };
  if (value === null) return { error: "the key is null" };
  return { error: `the key is ${Array.isArray(value) ? "an array" : typeof value}, not a single value` };
}

/**
 * Whether an expected and an observed value agree: equal as JSON (key order ignored), or the same number
 * when one side is a number and the other its text (`2000` and `"2000"`; providers differ on that).
 */
export function sameValue(expected: unknown, observed: unknown): boolean {
  if (canonicalJson(expected ?? null) === canonicalJson(observed ?? null)) return true;
  const asNumber = (v: unknown) =>
    typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (typeof expected === "number" || typeof observed === "number") {
    const a = asNumber(expected);
    const b = asNumber(observed);
    return Number.isFinite(a) && Number.isFinite(b) && a === b;
  }
  return false;
}

/** The indices of the compare pairs whose values differ. */
export function differences(expected: ExpectedValue[], observed: ObservedValue[]): number[] {
  const out: number[] = [];
  for (const [i, e] of expected.entries()) {
    const seen = observed[i];
    if (e.optional && (seen === undefined || seen.missing)) continue;
    if (!sameValue(e.value, seen?.value ?? null)) out.push(i);
  }
  return out;
}

/**
 * A destination's answer as `$.response.body` sees it: JSON parsed; anything else (form, text, HTML) as
 * its text. `problem` says why a body that claims to be JSON is kept as text.
 */
export function parseResponseBody(
  text: string,
  contentType: string | undefined,
  truncated = false,
): { body: unknown; problem?: string } {
  const trimmed = text.trim();
  const claimsJson = /\bjson\b/i.test(contentType ?? "");
  if (trimmed === "") return { body: text, ...(claimsJson ? { problem: "the response body is empty" } : {}) };
  if (claimsJson || trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { body: JSON.parse(trimmed) };
    } catch (error) {
      if (truncated) return { body: text, problem: "the response body was too large to read whole" };
      if (claimsJson)
        return { body: text, problem: `the response body is not valid JSON (${(error as Error).message})` };
    }
  }
  return { body: text };
}

/** What a successful delivery opens: its key (or why there is none) and the expected values. */
export interface Opening {
  key: string | null;
  keyError: string | null;
  expected: ExpectedValue[];
}

/**
 * `expect.key` and the `compare` pairs' `expected` over `{event, response}`. A key that cannot be found
 * (unparseable body, missing field) gives `key: null` and a `keyError`, never an exception.
 */
export async function openingFor(
  expect: Pick<Expect, "key" | "compare">,
  data: { event: unknown; response: { status: number; headers: Record<string, string>; body: unknown } },
  bodyProblem?: string,
): Promise<Opening> {
  const compiled: CompiledPaths = new Map();
  const found = await evaluateExpectPath(expect.key, data, compiled);
  let key: string | null = null;
  let keyError: string | null = null;
  if (found.found) {
    const text = keyText(found.value);
    if ("key" in text) key = text.key;
    else keyError = `${expect.key}: ${text.error}`;
  } else keyError = found.reason;
  if (keyError && bodyProblem) keyError = `${keyError} (${bodyProblem})`;
  const expected: ExpectedValue[] = [];
  for (const pair of expect.compare ?? []) {
    const value = await evaluateExpectPath(pair.expected, data, compiled);
    expected.push({
      expected: pair.expected,
      observed: pair.observed,
      ...(pair.optional ? { optional: true } : {}),
      value: value.found ? value.value : null,
    });
  }
  return { key, keyError, expected };
}

/** An incoming event's key under `eventKey` (null when it has none). */
export async function eventKeyOf(
  eventKey: string,
  envelope: unknown,
  compiled?: CompiledPaths,
): Promise<string | null> {
  const found = await evaluateExpectPath(eventKey, envelope, compiled);
  if (!found.found) return null;
  const text = keyText(found.value);
  return "key" in text ? text.key : null;
}

/** The observed side of each stored compare pair, over the incoming event. */
export async function observedValues(
  expected: ExpectedValue[],
  envelope: unknown,
  compiled?: CompiledPaths,
): Promise<ObservedValue[]> {
  const out: ObservedValue[] = [];
  for (const pair of expected) {
    const value = await evaluateExpectPath(pair.observed, envelope, compiled);
    out.push(
      value.found
        ? { observed: pair.observed, value: value.value }
        : { observed: pair.observed, value: null, missing: true },
    );
  }
  return out;
}
