import jsonata from "jsonata";
import { compileFastPath, type FastExpression } from "./fast-path.ts";
import { defaultValue, ExpressionRuntime, FunctionError, hmacSha256, sha256 } from "./functions.ts";
import { BODY_OFFSET, expressionBody, expressionFacts, MAX_EXPRESSION_LENGTH } from "./syntax.ts";

/**
 * Compiling and evaluating one expression (DESIGN §10), bounded: each evaluation has a time budget and a
 * depth budget, enforced inside JSONata's evaluation by the timebox hooks it looks up on its environment
 * under `Symbol.for('jsonata.__evaluate_entry' | 'jsonata.__evaluate_exit')` (in jsonata 2.x the plain
 * string names of older examples are never called). JSONata optimises tail calls, so a runaway recursion
 * does not overflow the stack: without these hooks it would spin at full CPU.
 *
 * An expression is compiled from the connector only. Event values reach it as data (`payload.x`) and are
 * never compiled: `$eval` is disabled.
 *
 * Most expressions admins write (paths, arithmetic, text, conditions, pure functions) are also compiled to a
 * synchronous closure tree (`fast-path.ts`) that gives JSONata's exact result several times faster; where
 * JSONata would fail, or the expression is outside that subset, JSONata evaluates it as above.
 */

export interface ExpressionLimits {
  /** Time one evaluation may take. */
  timeoutMs: number;
  /** Nesting of JSONata's evaluation (a non-tail recursion grows it). */
  maxDepth: number;
  /** Longest sequence an expression may build (`[1..n]`, `$append`). */
  maxSequence: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  timeoutMs: 50,
  maxDepth: 500,
  maxSequence: 1_000_000,
};

/** Why an expression did not give a value. The caller adds the field's name. */
export class ExpressionFailure extends Error {
  constructor(
    readonly kind: "syntax" | "limit" | "runtime" | "missingSecret",
    message: string,
    readonly secretName?: string,
  ) {
    super(message);
    this.name = "ExpressionFailure";
  }
}

export interface EvaluateOptions {
  secrets?: Record<string, string>;
  /** A secret not set is an error (delivery) or an empty string (preview, which reports it). */
  missingSecret?: "error" | "warn";
  /** Milliseconds of work left to the whole request (tighter than the per-value budget when lower). */
  budgetMs?: number;
}

export interface Evaluation {
  /** JSON: sequences become arrays, functions are dropped; `undefined` when the expression gave nothing. */
  value: unknown;
  /** The value was computed while reading a secret: show it masked, never derived in clear. */
  tainted: boolean;
  secretsRead: string[];
  missingSecrets: string[];
  /** Milliseconds of work it took (as the time budget counts it). */
  spentMs: number;
  /** The synchronous fast path gave it (JSONata's evaluator did not run). */
  fastPath: boolean;
}

const ENTRY = Symbol.for("jsonata.__evaluate_entry");
const EXIT = Symbol.for("jsonata.__evaluate_exit");
const BUDGET = "__ibBudget";
const BUDGET_KEY = Symbol("budget");
const MAX_STEP_MS = 5;
const WALL_FACTOR = 30;

/** One evaluation's spend. Found by the hooks through the evaluation's root frame. */
class Budget {
  depth = 0;
  spentMs = 0;
  readonly wallDeadline: number;
  constructor(
    readonly limitMs: number,
    readonly timeoutMs: number,
    readonly maxDepth: number,
  ) {
    this.wallDeadline = performance.now() + Math.max(limitMs, 1) * WALL_FACTOR;
  }
}

interface Frame {
  base: object;
  lookup(name: string | symbol): unknown;
}

interface JsonataFailure {
  code?: string;
  message?: string;
  position?: number;
}

/** A compiled expression: evaluate it as often as you like, concurrently too. */
export class CompiledExpression {
  /** It calls `$secret` (so it is never used where secrets are not available, e.g. filters). */
  readonly readsSecrets: boolean;
  private readonly expression: jsonata.Expression;
  private readonly limits: ExpressionLimits;
  private readonly fast: FastExpression | undefined;
  private readonly clock: { at: number };

  constructor(
    readonly source: string,
    options: {
      runtime?: ExpressionRuntime;
      limits?: Partial<ExpressionLimits>;
      /** `false`: always evaluate with JSONata (to compare the two). */
      fastPath?: boolean;
    } = {},
  ) {
    this.limits = { ...DEFAULT_EXPRESSION_LIMITS, ...options.limits };
    if (source.length > MAX_EXPRESSION_LENGTH) {
      throw new ExpressionFailure("syntax", `the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
    }
    try {
      this.expression = jsonata(expressionBody(source), { sequence: this.limits.maxSequence });
    } catch (error) {
      const failure = error as JsonataFailure;
      throw new ExpressionFailure("syntax", `syntax error${at(failure.position)}: ${failure.message ?? error}`);
    }
    this.readsSecrets = expressionFacts(source)?.readsSecrets ?? false;
    const runtime = options.runtime ?? new ExpressionRuntime();
    const expression = this.expression;
    expression.registerFunction("formatDate", function (this: unknown, value, picture, timezone) {
      return runtime.formatDate(this as Parameters<ExpressionRuntime["formatDate"]>[0], value, picture, timezone);
    });
    expression.registerFunction("default", defaultValue);
    expression.registerFunction("sha256", sha256);
    expression.registerFunction("hmacSha256", hmacSha256);
    expression.registerFunction("eval", () => {
      throw new FunctionError("$eval is not allowed: event text is never evaluated");
    });
    // The typings say `string`; jsonata 2.x looks the hooks up by these symbols.
    const assign = expression.assign as (name: string | symbol, value: unknown) => void;
    const clock = runtime.clock;
    this.clock = clock;
    this.fast =
      options.fastPath === false
        ? undefined
        : compileFastPath(expression.ast(), {
            runtime,
            maxDepth: this.limits.maxDepth,
            maxSequence: this.limits.maxSequence,
          });
    const spend = (budget: Budget) => {
      const now = performance.now();
      const step = now - clock.at;
      clock.at = now;
      if (step <= MAX_STEP_MS) budget.spentMs += step;
      if (budget.spentMs > budget.limitMs || now > budget.wallDeadline) throw new BudgetExceeded("time", budget);
    };
    assign(ENTRY, (_node: unknown, _input: unknown, frame: Frame) => {
      const budget = this.budgetOf(frame);
      if (++budget.depth > budget.maxDepth) throw new BudgetExceeded("depth", budget);
      spend(budget);
    });
    assign(EXIT, (_node: unknown, _input: unknown, frame: Frame) => {
      const budget = this.budgetOf(frame);
      budget.depth--;
      spend(budget);
    });
  }

  /** It is evaluated synchronously when it can be (see `fast-path.ts`). */
  get usesFastPath(): boolean {
    return this.fast !== undefined;
  }

  async evaluate(input: unknown, options: EvaluateOptions = {}): Promise<Evaluation> {
    return this.evaluateNow(input, options);
  }

  /**
   * {@link evaluate}, synchronously when the fast path gives the value (no promise to settle: a request plan
   * of ten fields saves ten), otherwise JSONata's evaluation as a promise. Its failures may throw at once.
   */
  evaluateNow(input: unknown, options: EvaluateOptions = {}): Evaluation | Promise<Evaluation> {
    const limitMs = Math.min(this.limits.timeoutMs, options.budgetMs ?? Number.POSITIVE_INFINITY);
    let spentMs = 0;
    if (this.fast) {
      const reads = this.readsSecrets ? new SecretReads(options) : undefined;
      const started = performance.now();
      let value: unknown;
      let done = false;
      try {
        value = this.fast.evaluate(input, { root: input, secret: reads?.secret });
        done = true;
      } catch {
        // JSONata evaluates it again, afresh (secrets read included), and reports its own error.
      }
      const now = performance.now();
      this.clock.at = now;
      // One synchronous step, counted as the hooks count JSONata's (longer: a pause, GC or a busy machine).
      if (now - started <= MAX_STEP_MS) spentMs = now - started;
      if (done) {
        if (spentMs > limitMs || now - started > Math.max(limitMs, 1) * WALL_FACTOR) {
          const budget = new Budget(limitMs, this.limits.timeoutMs, this.limits.maxDepth);
          budget.spentMs = spentMs;
          throw describeFailure(new BudgetExceeded("time", budget), reads?.tainted ?? false);
        }
        return {
          value: toJson(value, 0),
          tainted: reads?.tainted ?? false,
          secretsRead: reads?.read ?? [],
          missingSecrets: reads?.missing ?? [],
          spentMs,
          fastPath: true,
        };
      }
    }
    const budget = new Budget(limitMs, this.limits.timeoutMs, this.limits.maxDepth);
    // A fast attempt that gave way counts too.
    budget.spentMs = spentMs;
    return this.evaluateJsonata(input, options, budget);
  }

  private async evaluateJsonata(input: unknown, options: EvaluateOptions, budget: Budget): Promise<Evaluation> {
    const reads = new SecretReads(options);
    let value: unknown;
    try {
      // `$secret` is bound only for an expression that mentions it: the others cannot reach a secret at all.
      const bindings = this.readsSecrets ? { [BUDGET]: budget, secret: reads.secret } : { [BUDGET]: budget };
      value = await this.expression.evaluate(input, bindings);
    } catch (error) {
      throw describeFailure(error, reads.tainted);
    }
    return {
      value: toJson(value, 0),
      tainted: reads.tainted,
      secretsRead: reads.read,
      missingSecrets: reads.missing,
      spentMs: budget.spentMs,
      fastPath: false,
    };
  }

  /** The evaluation's budget, kept on its root frame (JSONata creates one per `evaluate` call). */
  private budgetOf(frame: Frame): Budget {
    const base = frame.base as { [BUDGET_KEY]?: Budget };
    let budget = base[BUDGET_KEY];
    if (!budget) {
      // The first hook call is at the root frame, before any expression code ran: it cannot be shadowed.
      const found = frame.lookup(BUDGET);
      if (!(found instanceof Budget)) throw new ExpressionFailure("runtime", "the expression has no budget");
      budget = found;
      base[BUDGET_KEY] = budget;
    }
    return budget;
  }
}

/** `$secret` for one evaluation, and what it read. */
class SecretReads {
  tainted = false;
  readonly read: string[] = [];
  readonly missing: string[] = [];
  private readonly secrets: Record<string, string>;

  constructor(private readonly options: EvaluateOptions) {
    this.secrets = options.secrets ?? {};
  }

  readonly secret = (name: unknown) => {
    if (typeof name !== "string") throw new FunctionError("$secret: the name must be a string, e.g. $secret('apiKey')");
    this.tainted = true;
    if (!Object.hasOwn(this.secrets, name)) {
      if (!this.missing.includes(name)) this.missing.push(name);
      if (this.options.missingSecret === "warn") return "";
      throw new ExpressionFailure("missingSecret", `Secret "${name}" is not set on this connector`, name);
    }
    if (!this.read.includes(name)) this.read.push(name);
    return this.secrets[name];
  };
}

class BudgetExceeded extends Error {
  constructor(
    readonly kind: "time" | "depth",
    readonly budget: Budget,
  ) {
    super(kind);
  }
}

function describeFailure(error: unknown, tainted: boolean): ExpressionFailure {
  if (error instanceof ExpressionFailure) return error;
  if (error instanceof BudgetExceeded) {
    return new ExpressionFailure(
      "limit",
      error.kind === "time"
        ? error.budget.limitMs < error.budget.timeoutMs
          ? `the request's expressions ran out of their shared time budget (${error.budget.limitMs.toFixed(1)} ms were left for this one)`
          : `the expression ran longer than its time budget (${error.budget.timeoutMs} ms)`
        : `the expression nested deeper than its depth budget (${error.budget.maxDepth}): a recursion that does not end?`,
    );
  }
  if (error instanceof RangeError) {
    return new ExpressionFailure("limit", "the expression nested too deeply to evaluate");
  }
  const failure = error as JsonataFailure;
  if (failure?.code === "D2015" || failure?.code === "D2014") {
    return new ExpressionFailure("limit", `${failure.message ?? "a sequence is too long"}${at(failure.position)}`);
  }
  if (tainted) {
    // A JSONata message can quote the value it choked on, and that value may be (or derive from) a secret.
    return new ExpressionFailure(
      "runtime",
      `the expression failed${failure?.code ? ` (JSONata ${failure.code})` : ""}${at(failure?.position)}; details are hidden because it reads a secret`,
    );
  }
  const message = failure?.message ?? String(error);
  return new ExpressionFailure("runtime", `${message}${at(failure?.position)}`);
}

function at(position: number | undefined): string {
  return typeof position === "number" && position > 0 ? ` at character ${position + BODY_OFFSET}` : "";
}

/** JSONata's result as JSON: sequences become plain arrays, functions and undefined members are dropped. */
function toJson(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (depth > 1_000) throw new ExpressionFailure("limit", "the result is nested too deeply");
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const json = toJson(item, depth + 1);
      if (json !== undefined) out.push(json);
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  if (record._jsonata_lambda === true || record._jsonata_function === true) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const json = toJson(record[key], depth + 1);
    if (json === undefined) continue;
    // A `__proto__` key stays an ordinary key (an assignment would set the prototype).
    if (key === "__proto__") {
      Object.defineProperty(out, key, { value: json, enumerable: true, writable: true, configurable: true });
    } else out[key] = json;
  }
  return out;
}
