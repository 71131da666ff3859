import { isFunction, isSequence, type Sequence } from "./jsonata-internals.ts";

/**
 * JSONata 2.x's operators, path steps and singleton rule, mirrored for the synchronous fast path
 * (`fast-path.ts`): each function here is the JSONata function named in its comment, without the cases the
 * fast path never compiles (tuples, predicates, stages). Where JSONata throws, these throw {@link BAIL}.
 */

/** Thrown where JSONata would throw: the caller falls back to JSONata for its exact error. */
export const BAIL: Error = new Error("outside the fast path");

/** What one evaluation needs besides its input. */
export interface FastScope {
  /** The root input (`$$`). */
  root: unknown;
  /** `$secret`, bound only when the expression mentions it. */
  secret?: (name: unknown) => unknown;
}

export type Evaluate = (input: unknown, scope: FastScope) => unknown;

/** `evaluate`'s ending: a sequence of none is undefined, of one is its item (JSONata's singleton rule). */
export function collapse(result: unknown): unknown {
  if (result && isSequence(result) && !result.tupleStream) {
    if (result.length === 0) return undefined;
    if (result.length === 1) return result.keepSingleton ? result : result[0];
  }
  return result;
}

export function sequence(): Sequence {
  const seq: Sequence = [];
  seq.sequence = true;
  return seq;
}

/** `utils.isNumeric`: a number that is not NaN; an infinite one is JSONata's D1001. */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== "number" || Number.isNaN(n)) return false;
  if (!Number.isFinite(n)) throw BAIL;
  return true;
}

/** `evaluateStep` for a step without stages: each item in, flattened one level (a sole array kept whole last). */
export function step(
  evaluate: Evaluate,
  input: unknown[],
  scope: FastScope,
  lastStep: boolean,
  max: number,
): unknown[] {
  const result = sequence();
  for (let ii = 0; ii < input.length; ii++) {
    const res = evaluate(input[ii], scope);
    if (res !== undefined) push(result, res, max);
  }
  if (lastStep && result.length === 1 && Array.isArray(result[0]) && !isSequence(result[0])) return result[0];
  const resultSequence = sequence();
  for (const res of result) {
    if (!Array.isArray(res) || (res as Sequence).cons) push(resultSequence, res, max);
    else for (const value of res) push(resultSequence, value, max);
  }
  return resultSequence;
}

/** A push into a sequence, capped as JSONata's are (D2015). */
function push(seq: unknown[], value: unknown, max: number) {
  if (seq.length >= max) throw BAIL;
  seq.push(value);
}

/** `fn.lookup` (a name step): the field of an object, mapped over arrays and flattened. */
export function lookup(input: unknown, key: string, max: number): unknown {
  if (Array.isArray(input)) {
    const result = sequence();
    for (const item of input) {
      const res = lookup(item, key, max);
      if (res === undefined) continue;
      if (Array.isArray(res)) for (const value of res) push(result, value, max);
      else push(result, res, max);
    }
    return result;
  }
  if (input !== null && typeof input === "object" && Object.hasOwn(input, key) && !isFunction(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

/** `evaluateNumericExpression`: T2001/T2002 for a non-number, undefined when either side is. */
export function numeric(lhs: unknown, rhs: unknown, op: string): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) throw BAIL;
  if (rhs !== undefined && !isNumeric(rhs)) throw BAIL;
  if (lhs === undefined || rhs === undefined) return undefined;
  const l = lhs as number;
  const r = rhs as number;
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return l / r;
    default:
      return l % r;
  }
}

/** `evaluateComparisonExpression`: strings with strings, numbers with numbers (T2009/T2010 otherwise). */
export function compare(lhs: unknown, rhs: unknown, op: string): boolean | undefined {
  const ltype = typeof lhs;
  const rtype = typeof rhs;
  const lcomparable = ltype === "undefined" || ltype === "string" || ltype === "number";
  const rcomparable = rtype === "undefined" || rtype === "string" || rtype === "number";
  if (!lcomparable || !rcomparable) throw BAIL;
  if (ltype === "undefined" || rtype === "undefined") return undefined;
  if (ltype !== rtype) throw BAIL;
  const l = lhs as string | number;
  const r = rhs as string | number;
  switch (op) {
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case ">":
      return l > r;
    default:
      return l >= r;
  }
}

/** `evaluateIncludesExpression` (`in`): strict equality with the right side's items. */
export function includes(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  const items = Array.isArray(rhs) ? rhs : [rhs];
  for (const item of items) if (item === lhs) return true;
  return false;
}
