import jsonata from "jsonata";

/**
 * The pieces of JSONata 2.x the synchronous fast path (`fast-path.ts`) reuses so that it computes exactly
 * what JSONata computes: its built-in function definitions (implementation and signature, taken from its
 * static frame, not re-written) and small helpers copied from its `utils` (they are not exported).
 *
 * The built-ins are reached through an evaluation's frame: JSONata calls the entry hook synchronously at the
 * start of `evaluate` (before its first `await`), and the frame it passes can look any built-in up. If a
 * future JSONata stops doing that, `jsonataFrame()` gives null and every expression keeps the JSONata path.
 */

/** A JSONata function definition as its frames hold it (`$uppercase`, `$sum`, …). */
export interface JsonataFunction {
  _jsonata_function: true;
  implementation: (this: unknown, ...args: unknown[]) => unknown;
  signature?: { validate(args: unknown[], context: unknown): unknown[] };
}

/** A JSONata frame (what built-ins get as `this.environment`). */
export interface JsonataFrame {
  lookup(name: string | symbol): unknown;
}

/** JSONata marks its sequences (results of paths) with `sequence: true`; see `utils.isSequence`. */
export type Sequence = unknown[] & {
  sequence?: boolean;
  keepSingleton?: boolean;
  tupleStream?: boolean;
  cons?: boolean;
};

let frame: JsonataFrame | null | undefined;

/** A frame whose `lookup` reaches JSONata's built-ins (null when it could not be captured). */
export function jsonataFrame(): JsonataFrame | null {
  if (frame !== undefined) return frame;
  let captured: JsonataFrame | null = null;
  const probe = jsonata("0");
  const assign = probe.assign as (name: string | symbol, value: unknown) => void;
  assign(Symbol.for("jsonata.__evaluate_entry"), (_node: unknown, _input: unknown, env: JsonataFrame) => {
    captured ??= env;
  });
  probe.evaluate({}).catch(() => {});
  frame = captured;
  return frame;
}

/** The built-in `$name`, or null when it is not a synchronous-looking JSONata function definition. */
export function builtin(name: string): JsonataFunction | null {
  const found = jsonataFrame()?.lookup(name) as Partial<JsonataFunction> | undefined;
  if (found?._jsonata_function !== true || typeof found.implementation !== "function") return null;
  return found as JsonataFunction;
}

/** `utils.isSequence`, for a value known to be truthy. */
export function isSequence(value: unknown): value is Sequence {
  return (value as Sequence).sequence === true && Array.isArray(value);
}

/** `utils.isFunction`. */
export function isFunction(arg: unknown): boolean {
  if (typeof arg === "function") return true;
  const value = arg as { _jsonata_function?: unknown; _jsonata_lambda?: unknown } | null | undefined;
  return Boolean(value && (value._jsonata_function === true || value._jsonata_lambda === true));
}

/** `utils.isIterable`. */
export function isIterable(arg: unknown): boolean {
  return (
    typeof arg === "object" &&
    arg !== null &&
    Symbol.iterator in arg &&
    "next" in arg &&
    typeof (arg as { next?: unknown }).next === "function"
  );
}

/** `utils.isPromise`. */
export function isPromise(arg: unknown): boolean {
  return (
    typeof arg === "object" && arg !== null && "then" in arg && typeof (arg as { then?: unknown }).then === "function"
  );
}

/** `utils.isDeepEqual` (the `=` and `!=` operators). */
export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === "object" && typeof rhs === "object" && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!isDeepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    const lkeys = Object.getOwnPropertyNames(lhs).sort();
    const rkeys = Object.getOwnPropertyNames(rhs).sort();
    if (lkeys.length !== rkeys.length) return false;
    for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
    for (const key of lkeys) {
      if (!isDeepEqual((lhs as Record<string, unknown>)[key], (rhs as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return false;
}
