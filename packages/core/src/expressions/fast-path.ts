import {
  BAIL,
  collapse,
  compare,
  type Evaluate,
  type FastScope,
  includes,
  isNumeric,
  lookup,
  numeric,
  sequence,
  step,
} from "./fast-path-operators.ts";
import { BINARY, BUILTINS, EXTRAS, KEYS, type Node, readsSecret } from "./fast-path-subset.ts";
import type { ExpressionRuntime } from "./functions.ts";
import { defaultValue, hmacSha256, sha256 } from "./functions.ts";
import {
  builtin,
  isDeepEqual,
  isFunction,
  isIterable,
  isPromise,
  type JsonataFrame,
  type JsonataFunction,
  jsonataFrame,
  type Sequence,
} from "./jsonata-internals.ts";

export type { FastScope } from "./fast-path-operators.ts";

/**
 * A synchronous evaluator for the expressions admins write most (issue 18): field paths, literals, `&`,
 * arithmetic, comparisons, `and`/`or`, `? :`, array and object constructors, and a whitelist of pure
 * functions. JSONata's own evaluator is async per syntax-tree node (~8 µs per field); this one is a tree
 * of closures built once per compiled expression.
 *
 * It computes exactly what JSONata computes: each closure mirrors the JSONata 2.x function named beside it
 * (sequences, auto-mapping over arrays, singleton flattening, undefined propagation), and functions run
 * JSONata's own built-in implementations after JSONata's own signature validation (`jsonata-internals.ts`).
 * It never reports an error itself: wherever JSONata would throw (a type error, a failed cast, a sequence
 * over the limit) it throws {@link BAIL}, and the caller evaluates the expression with JSONata instead, which
 * gives JSONata's error, code, message and position. Anything outside the subset is not compiled here at all.
 * The operators and path steps themselves are in `fast-path-operators.ts`.
 *
 * Budgets: there are no loops but over input arrays and no recursion but over the expression and the input,
 * so it cannot run away; the caller still counts its time. Depth: JSONata's depth counts nested evaluations,
 * at most one per syntax-tree node, so an expression with fewer nodes than the depth budget cannot exceed it;
 * bigger ones are not compiled. Sequences are capped like JSONata's (`maxSequence`).
 */

export interface FastPathOptions {
  runtime: ExpressionRuntime;
  /** JSONata's depth budget: expressions with as many nodes or more stay on JSONata. */
  maxDepth: number;
  /** JSONata's sequence limit (`D2015`). */
  maxSequence: number;
}

/** A compiled fast expression: `evaluate` gives JSONata's result or throws {@link BAIL}. */
export interface FastExpression {
  evaluate(input: unknown, scope: FastScope): unknown;
}

/** Compile the expression's syntax tree to closures, or undefined when it is not entirely in the subset. */
export function compileFastPath(ast: unknown, options: FastPathOptions): FastExpression | undefined {
  const frame = jsonataFrame();
  if (!frame) return undefined;
  const count = { nodes: 0 };
  try {
    const root = new Compiler(frame, options, count).node(ast as Node);
    if (count.nodes >= options.maxDepth) return undefined;
    return {
      evaluate(input, scope) {
        // JSONata wraps an array input in a sequence (`outerWrapper`): rare for an event, left to JSONata.
        if (Array.isArray(input)) throw BAIL;
        return root(input, scope);
      },
    };
  } catch (error) {
    if (error === NOT_OURS) return undefined;
    throw error;
  }
}

const NOT_OURS = new Error("not in the fast path's subset");

class Compiler {
  private readonly string: JsonataFunction;
  private readonly boolean: JsonataFunction;
  private readonly append: JsonataFunction;
  /** `this.options` / `this.createSequence` of JSONata's functions, as its evaluation frame gives them. */
  private readonly options: { sequence: number };
  private readonly createSequence: (...items: unknown[]) => Sequence;

  constructor(
    private readonly frame: JsonataFrame,
    private readonly limits: FastPathOptions,
    private readonly count: { nodes: number },
  ) {
    const need = (name: string) => builtin(name) ?? notOurs();
    this.string = need("string");
    this.boolean = need("boolean");
    this.append = need("append");
    const max = limits.maxSequence;
    this.options = { sequence: max };
    // Jsonata's `createSequence` with the `sequence` option: a push past the limit throws (D2015).
    this.createSequence = function createSequence(...items: unknown[]) {
      const seq = sequence();
      seq.push = (...pushed: unknown[]) => {
        if (seq.length + pushed.length > max) throw BAIL;
        return Array.prototype.push.apply(seq, pushed);
      };
      if (items.length === 1) seq.push(items[0]);
      return seq;
    };
  }

  /** `evaluate(expr, input, environment)` for one node: its own evaluation, then the singleton rule. */
  node(node: Node): Evaluate {
    if (node === null || typeof node !== "object" || typeof node.type !== "string") notOurs();
    const keys = KEYS[node.type];
    if (!keys) notOurs();
    for (const key of Object.keys(node)) if (!keys.has(key)) notOurs();
    this.count.nodes++;
    switch (node.type) {
      case "path":
        return this.path(node);
      case "name": {
        const key = String(node.value);
        const max = this.limits.maxSequence;
        return (input) => collapse(lookup(input, key, max));
      }
      case "string":
      case "number":
      case "value": {
        const value = node.value;
        return () => value;
      }
      case "variable":
        return this.variable(node);
      case "binary":
        return this.binary(node);
      case "unary":
        return this.unary(node);
      case "condition":
        return this.condition(node);
      case "block":
        return this.block(node);
      case "function":
        return this.call(node);
      default:
        return notOurs();
    }
  }

  /** `evaluatePath` + `evaluateStep`, without tuples, focus, predicates or stages. */
  private path(node: Node): Evaluate {
    const nodes = node.steps ?? [];
    if (nodes.length === 0) notOurs();
    const steps = nodes.map((step) => this.node(step));
    const firstIsVariable = nodes[0]?.type === "variable";
    const max = this.limits.maxSequence;
    return (input, scope) => {
      let inputSequence: unknown[];
      if (Array.isArray(input) && !firstIsVariable) inputSequence = input;
      else {
        inputSequence = sequence();
        inputSequence.push(input);
      }
      let resultSequence: unknown[] | undefined;
      for (let ii = 0; ii < steps.length; ii++) {
        resultSequence = step(steps[ii] as Evaluate, inputSequence, scope, ii === steps.length - 1, max);
        if (resultSequence.length === 0) break;
        inputSequence = resultSequence;
      }
      return collapse(resultSequence);
    };
  }

  private variable(node: Node): Evaluate {
    // `$` is the context (JSONata's `outerWrapper` never occurs: an array input is left to JSONata).
    if (node.value === "") return (input) => collapse(input);
    if (node.value === "$") return (_input, scope) => collapse(scope.root);
    return notOurs();
  }

  private binary(node: Node): Evaluate {
    const op = String(node.value);
    if (!BINARY.has(op)) notOurs();
    const lhs = this.node(node.lhs as Node);
    const rhs = this.node(node.rhs as Node);
    const boolize = (value: unknown) => {
      const booled = this.boolean.implementation(value);
      return booled === undefined ? false : booled;
    };
    switch (op) {
      case "and":
        return (input, scope) => Boolean(boolize(lhs(input, scope)) && boolize(rhs(input, scope)));
      case "or":
        return (input, scope) => Boolean(boolize(lhs(input, scope)) || boolize(rhs(input, scope)));
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return (input, scope) => numeric(lhs(input, scope), rhs(input, scope), op);
      case "=":
        return (input, scope) => {
          const l = lhs(input, scope);
          const r = rhs(input, scope);
          return l === undefined || r === undefined ? false : isDeepEqual(l, r);
        };
      case "!=":
        return (input, scope) => {
          const l = lhs(input, scope);
          const r = rhs(input, scope);
          return l === undefined || r === undefined ? false : !isDeepEqual(l, r);
        };
      case "&": {
        const string = this.string.implementation;
        return (input, scope) => {
          const l = lhs(input, scope);
          const r = rhs(input, scope);
          const lstr = l === undefined ? "" : (string(l) as string);
          const rstr = r === undefined ? "" : (string(r) as string);
          return lstr.concat(rstr);
        };
      }
      case "in":
        return (input, scope) => includes(lhs(input, scope), rhs(input, scope));
      default:
        return (input, scope) => compare(lhs(input, scope), rhs(input, scope), op);
    }
  }

  private unary(node: Node): Evaluate {
    if (node.value === "-") {
      if (node.expressions || node.lhs) notOurs();
      const operand = this.node(node.expression as Node);
      return (input, scope) => {
        const value = operand(input, scope);
        if (value === undefined) return undefined;
        if (isNumeric(value)) return -value;
        throw BAIL;
      };
    }
    if (node.value === "[") return this.array(node);
    if (node.value === "{") return this.object(node);
    return notOurs();
  }

  /** The array constructor (`evaluateUnary`, `[`): items in order, each appended (a nested `[…]` pushed whole). */
  private array(node: Node): Evaluate {
    if (node.expression || node.lhs || !Array.isArray(node.expressions)) notOurs();
    const items = node.expressions.map((item) => ({ nested: item.value === "[", evaluate: this.node(item) }));
    // JSONata evaluates the items concurrently: the order `$secret` is called in would not be ours to fix.
    if (items.length > 1 && readsSecret(node)) notOurs();
    const append = this.append.implementation;
    const focus = { options: this.options, createSequence: this.createSequence };
    return (input, scope) => {
      const values = items.map((item) => item.evaluate(input, scope));
      let result: unknown = [];
      for (let i = 0; i < items.length; i++) {
        const value = values[i];
        if (value === undefined) continue;
        if (items[i]?.nested) (result as unknown[]).push(value);
        else result = append.call(focus, result, value);
      }
      return result;
    };
  }

  /**
   * The object constructor with literal keys (`evaluateGroupExpression` when each key is a constant): every
   * key groups every item of the input, so each value is evaluated once against all of them (appended).
   */
  private object(node: Node): Evaluate {
    if (node.expression || node.expressions || !Array.isArray(node.lhs)) notOurs();
    const pairs = node.lhs as [Node, Node][];
    const keys = new Set<string>();
    for (const [key] of pairs) {
      if (key?.type !== "string" || typeof key.value !== "string") notOurs();
      // A repeated key is JSONata's D1009; these two are its D1013.
      if (keys.has(key.value) || key.value === "_jsonata_lambda" || key.value === "_jsonata_function") notOurs();
      keys.add(key.value);
      this.count.nodes++;
    }
    if (pairs.length > 1 && readsSecret(node)) notOurs();
    const values = pairs.map(([key, value]) => ({ key: key.value as string, evaluate: this.node(value) }));
    const append = this.append.implementation;
    const focus = { options: this.options, createSequence: this.createSequence };
    return (input, scope) => {
      // JSONata pushes `undefined` into an empty input array here (mutating the event): left to it.
      if (Array.isArray(input) && input.length === 0) throw BAIL;
      const items = Array.isArray(input) ? input : [input];
      let data = items[0];
      for (let i = 1; i < items.length; i++) data = append.call(focus, data, items[i]);
      const result: Record<string, unknown> = Object.create(null);
      const computed = values.map(({ evaluate }) => evaluate(data, scope));
      for (let i = 0; i < values.length; i++) {
        const value = computed[i];
        if (value !== undefined) result[(values[i] as { key: string }).key] = value;
      }
      return result;
    };
  }

  private condition(node: Node): Evaluate {
    const condition = this.node(node.condition as Node);
    const then = this.node(node.then as Node);
    const otherwise = node.else === undefined ? undefined : this.node(node.else);
    const boolean = this.boolean.implementation;
    return (input, scope) => {
      if (boolean(condition(input, scope))) return collapse(then(input, scope));
      return otherwise ? collapse(otherwise(input, scope)) : undefined;
    };
  }

  private block(node: Node): Evaluate {
    const expressions = (node.expressions ?? []).map((expression) => this.node(expression));
    return (input, scope) => {
      let result: unknown;
      for (const expression of expressions) result = expression(input, scope);
      return collapse(result);
    };
  }

  /** `evaluateFunction` + `applyInner` for a whitelisted function named directly (`$uppercase(…)`). */
  private call(node: Node): Evaluate {
    if ((node as { name?: unknown }).name !== undefined) notOurs();
    const procedure = node.procedure;
    if (procedure?.type !== "variable" || typeof procedure.value !== "string") return notOurs();
    for (const key of Object.keys(procedure)) if (!KEYS.variable?.has(key)) notOurs();
    this.count.nodes++;
    const name = procedure.value;
    const argNodes = node.arguments ?? [];
    if (!Array.isArray(argNodes)) notOurs();
    // `$toMillis` with a picture reads the evaluation's timestamp.
    if (name === "toMillis" && argNodes.length > 1) notOurs();
    const args = argNodes.map((arg) => this.node(arg));
    const evaluateArgs = (input: unknown, scope: FastScope) => {
      const values = args.map((arg) => arg(input, scope));
      // JSONata wraps a function argument in a closure: not ours.
      for (const value of values) if (isFunction(value)) throw BAIL;
      return values;
    };
    const focusOf = (input: unknown) => ({
      environment: this.frame,
      input,
      options: this.options,
      createSequence: this.createSequence,
    });
    if (BUILTINS.has(name)) {
      const definition = builtin(name) ?? notOurs();
      const { implementation, signature } = definition;
      return (input, scope) => {
        const values = evaluateArgs(input, scope);
        const validated = signature ? signature.validate(values, input) : values;
        const result = implementation.apply(focusOf(input), validated);
        if (isIterable(result) || isPromise(result)) throw BAIL;
        return collapse(result);
      };
    }
    if (!EXTRAS.has(name)) return notOurs();
    const runtime = this.limits.runtime;
    const extra: (focus: ReturnType<typeof focusOf>, values: unknown[], scope: FastScope) => unknown =
      name === "default"
        ? (_focus, values) => defaultValue(values[0], values[1])
        : name === "sha256"
          ? (_focus, values) => sha256(values[0])
          : name === "hmacSha256"
            ? (_focus, values) => hmacSha256(values[0], values[1])
            : name === "formatDate"
              ? (focus, values) => runtime.formatDate(focus, values[0], values[1], values[2])
              : (_focus, values, scope) => {
                  // `$secret` is a plain function binding: JSONata calls it with the context as `this`.
                  if (!scope.secret) throw BAIL;
                  return scope.secret(values[0]);
                };
    return (input, scope) => {
      const result = extra(focusOf(input), evaluateArgs(input, scope), scope);
      if (isIterable(result) || isPromise(result)) throw BAIL;
      return collapse(result);
    };
  }
}

function notOurs(): never {
  throw NOT_OURS;
}
