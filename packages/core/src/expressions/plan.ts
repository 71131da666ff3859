import { MappingError } from "../mapping-syntax.ts";
import {
  CompiledExpression,
  type EvaluateOptions,
  type Evaluation,
  ExpressionFailure,
  type ExpressionLimits,
} from "./compile.ts";
import { ExpressionRuntime } from "./functions.ts";
import { isExpression } from "./syntax.ts";

/**
 * The expressions of one connector's request (destination URL, headers, query and mapping), found and
 * compiled once per connector version; per delivery they are evaluated against the event and their values
 * put in place, so the (synchronous) renderer only has to copy them. The owner caches the plan.
 */

/** An expression's value in place of its `{% … %}` string: the renderer copies it (masked when tainted). */
export class Evaluated {
  constructor(
    readonly value: unknown,
    readonly tainted: boolean,
  ) {}
}

/**
 * What a request (or a broker message) is rendered from: the connector's destination — every string field
 * (`url`, `routingKey`, `subject`, …) and every value of its `headers` and `query` is a template — and mapping.
 */
export interface RequestSpec {
  destination: object;
  mapping?: unknown;
}

/** The same, with expressions' values in place (`Evaluated` where a `{% … %}` string was). */
export interface EvaluatedSpec {
  destination: Record<string, unknown>;
  mapping?: unknown;
}

type Segment = string | number;

interface Planned {
  /** Where it sits in `RequestSpec`, e.g. `["mapping", "items", 0]`. */
  path: Segment[];
  /** How errors name it: `mapping.items[0]`, `destination.headers.Authorization`. */
  field: string;
  compiled: CompiledExpression | ExpressionFailure;
}

export interface PlanOptions {
  runtime?: ExpressionRuntime;
  limits?: Partial<ExpressionLimits>;
  /** Milliseconds of work all expressions of one request may take together. */
  requestTimeoutMs?: number;
  /** `false`: every expression is evaluated by JSONata (no synchronous fast path), to compare the two. */
  fastPath?: boolean;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 500;
const MAX_WALK = 20_000;

export class RequestPlan {
  private readonly requestTimeoutMs: number;

  private constructor(
    private readonly planned: Planned[],
    options: PlanOptions,
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** Find and compile every expression; a broken one is kept as its failure and reported per delivery. */
  static compile(spec: RequestSpec, options: PlanOptions = {}): RequestPlan {
    const planned: Planned[] = [];
    // One runtime for all of them: their time budgets share its clock (see compile.ts).
    const shared = { ...options, runtime: options.runtime ?? new ExpressionRuntime() };
    const visit = (node: unknown, path: Segment[]) => {
      if (typeof node === "string") {
        if (!isExpression(node)) return;
        let compiled: CompiledExpression | ExpressionFailure;
        try {
          compiled = new CompiledExpression(node, shared);
        } catch (error) {
          compiled = error instanceof ExpressionFailure ? error : new ExpressionFailure("syntax", String(error));
        }
        planned.push({ path: [...path], field: fieldName(path), compiled });
      }
    };
    for (const [key, value] of Object.entries(spec.destination)) {
      if (value !== null && typeof value === "object") {
        for (const [name, item] of Object.entries(value)) visit(item, ["destination", key, name]);
      } else {
        visit(value, ["destination", key]);
      }
    }
    walk(spec.mapping, ["mapping"], visit);
    return new RequestPlan(planned, options);
  }

  get size(): number {
    return this.planned.length;
  }

  /**
   * Evaluate every expression against the event and return the spec with their values in place. Throws a
   * {@link MappingError} naming the field: a syntax error, a budget exceeded, a runtime error, a secret not set.
   */
  async evaluate(
    spec: RequestSpec,
    input: unknown,
    options: EvaluateOptions = {},
  ): Promise<{
    spec: EvaluatedSpec;
    warnings: string[];
    secretsRead: string[];
    missingSecrets: string[];
    /** Text of the values computed from secrets, for scrubbing what a destination echoes back. */
    derived: string[];
  }> {
    const warnings: string[] = [];
    const read = new Set<string>();
    const missing = new Set<string>();
    const derived = new Set<string>();
    if (this.planned.length === 0) {
      return { spec: spec as EvaluatedSpec, warnings, secretsRead: [], missingSecrets: [], derived: [] };
    }
    let leftMs = Math.min(this.requestTimeoutMs, options.budgetMs ?? Number.POSITIVE_INFINITY);
    const out = new Substitution(spec as unknown as Record<string, unknown>);
    for (const { path, field, compiled } of this.planned) {
      if (compiled instanceof ExpressionFailure) throw mappingError(field, compiled);
      let evaluation: Evaluation;
      try {
        // Synchronous when the fast path gives the value: no promise to settle per field.
        const now = compiled.evaluateNow(input, {
          secrets: options.secrets,
          missingSecret: options.missingSecret,
          budgetMs: leftMs,
        });
        evaluation = now instanceof Promise ? await now : now;
      } catch (error) {
        throw mappingError(field, error);
      }
      leftMs -= evaluation.spentMs;
      for (const name of evaluation.secretsRead) read.add(name);
      for (const name of evaluation.missingSecrets) {
        missing.add(name);
        warnings.push(`Secret "${name}" is not set on this connector (${field} rendered it as empty)`);
      }
      if (evaluation.value === undefined) {
        warnings.push(
          path[0] === "mapping" && path.length > 1
            ? `${field}: the expression gave no value (the field is left out)`
            : `${field}: the expression gave no value (rendered as empty)`,
        );
      }
      if (evaluation.tainted) textsOf(evaluation.value, derived);
      out.set(path, new Evaluated(evaluation.value, evaluation.tainted));
    }
    return {
      spec: out.root as unknown as EvaluatedSpec,
      warnings,
      secretsRead: [...read].sort(),
      missingSecrets: [...missing].sort(),
      derived: [...derived],
    };
  }
}

function mappingError(field: string, error: unknown): MappingError {
  if (error instanceof MappingError) return error;
  if (error instanceof ExpressionFailure) {
    const code =
      error.kind === "limit"
        ? "LIMIT_EXCEEDED"
        : error.kind === "missingSecret"
          ? "MISSING_SECRET"
          : "EXPRESSION_ERROR";
    return new MappingError(code, error.kind === "missingSecret" ? error.message : `${field}: ${error.message}`);
  }
  return new MappingError("EXPRESSION_ERROR", `${field}: ${(error as Error)?.message ?? String(error)}`);
}

const MIN_DERIVED_LENGTH = 6;
const MAX_DERIVED = 200;

/** The text forms of a value computed from a secret: itself (or its JSON) and every string in it. */
function textsOf(value: unknown, out: Set<string>) {
  const add = (text: string) => {
    if (text.length >= MIN_DERIVED_LENGTH && out.size < MAX_DERIVED) out.add(text);
  };
  const stack: unknown[] = [value];
  if (value !== null && typeof value === "object") add(JSON.stringify(value));
  while (stack.length > 0 && out.size < MAX_DERIVED) {
    const node = stack.pop();
    if (typeof node === "string") add(node);
    else if (typeof node === "number") add(String(node));
    else if (node !== null && typeof node === "object") stack.push(...Object.values(node));
  }
}

/** `["mapping", "items", 0, "sku"]` → `mapping.items[0].sku`. */
export function fieldName(path: Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** Every string in a mapping with its path (bounded: the mapping's own limits were checked on save). */
function walk(node: unknown, path: Segment[], visit: (node: unknown, path: Segment[]) => void) {
  let budget = MAX_WALK;
  const step = (value: unknown) => {
    if (--budget < 0) throw new MappingError("LIMIT_EXCEEDED", "The mapping has too many values to plan");
    if (value === null || typeof value !== "object") {
      visit(value, path);
      return;
    }
    if (path.length > 64) throw new MappingError("LIMIT_EXCEEDED", "The mapping is nested too deeply to plan");
    const entries: [Segment, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
    for (const [key, child] of entries) {
      path.push(key);
      step(child);
      path.pop();
    }
  };
  step(node);
}

/**
 * Puts values at paths of a structure without touching it: each object or array on a path is copied once
 * (shallow), however many values land under it, and everything off the paths is shared.
 */
class Substitution {
  private readonly copies = new Map<object, Record<string, unknown> | unknown[]>();
  readonly root: Record<string, unknown>;
  constructor(root: Record<string, unknown>) {
    this.root = this.copyOf(root) as Record<string, unknown>;
  }

  set(path: Segment[], value: unknown) {
    let node: Record<string, unknown> | unknown[] = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as Segment;
      const child: unknown = (node as Record<string, unknown>)[key as string];
      if (child === null || typeof child !== "object") return; // the spec changed shape: nothing to replace
      const copy = this.copyOf(child);
      if (copy !== child) put(node, key, copy);
      node = copy;
    }
    put(node, path[path.length - 1] as Segment, value);
  }

  private copyOf(node: object): Record<string, unknown> | unknown[] {
    if (this.copies.has(node)) return this.copies.get(node) as Record<string, unknown> | unknown[];
    // Spread defines own properties (a `__proto__` key stays an ordinary key).
    const copy = Array.isArray(node) ? node.slice() : { ...(node as Record<string, unknown>) };
    this.copies.set(node, copy);
    this.copies.set(copy, copy);
    return copy;
  }
}

function put(target: Record<string, unknown> | unknown[], key: Segment, value: unknown) {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (target as Record<string, unknown>)[key as string] = value;
  }
}
