import { JSONPath } from "jsonpath-plus";
import { Evaluated } from "./expressions/plan.ts";
import { isExpression } from "./expressions/syntax.ts";
import {
  DEFAULT_MAPPING_LIMITS,
  isJsonPath,
  MappingError,
  type MappingLimits,
  parsePath,
  parseTemplate,
  quote,
} from "./mapping-syntax.ts";

export {
  DEFAULT_MAPPING_LIMITS,
  isJsonPath,
  MappingError,
  type MappingErrorCode,
  type MappingLimits,
  type MappingProblem,
  mappingProblems,
  SECRET_NAME_RE,
  secretReferences,
  validateMapping,
} from "./mapping-syntax.ts";

/**
 * The mapping language (DESIGN §6), pure and bounded:
 * - a string that is exactly a JSONPath (`$.payload.orderId`) becomes the value found there, type preserved;
 * - inside any other string, `<<event.path>>` and `<<secret.name>>` are interpolated (mustache tags `<<` `>>`,
 *   no HTML escaping); the older `{{event.path}}` / `{{secret.name}}` spelling is accepted as well;
 * - objects and arrays are rendered recursively; other scalars pass through.
 *
 * Templates are parsed from the mapping only: a value taken from the event is inserted as data and never
 * parsed again, so an event cannot smuggle a `<<secret.x>>` into the output.
 */

/** The event as a mapping sees it. */
export interface EventEnvelope {
  id: string;
  name: string;
  source: string | null;
  time: string;
  payload: unknown;
}

/** What a secret renders as in the redacted copy. Never derived from the value. */
export const SECRET_MASK = "••••••";

// ---------------------------------------------------------------------------------------------------------
// Rendering

export interface RenderMappingOptions {
  event: EventEnvelope;
  secrets: Record<string, string>;
  /** A missing secret is an error (delivery) or a warning and an empty string (preview). */
  missingSecret?: "error" | "warn";
  limits?: Partial<MappingLimits>;
  /**
   * Written in place of each secret in the redacted copy. The default is {@link SECRET_MASK}; callers that
   * post-process text (URL building) pass an ASCII sentinel and swap it for the mask at the end.
   */
  mask?: string;
  /** Applied to every interpolated value (event or secret), e.g. `encodeURIComponent` inside a URL. */
  encode?: (value: string) => string;
}

/** Both renderings of one mapping: with real secrets and with secrets masked. */
export interface RenderedValue {
  value: unknown;
  redacted: unknown;
}

/**
 * One rendering pass. Holds the budgets, so several parts of a request (URL, headers, body) rendered with the
 * same renderer share them.
 */
export class MappingRenderer {
  readonly warnings: string[] = [];
  readonly secretsUsed = new Set<string>();
  readonly missingSecrets = new Set<string>();
  private readonly limits: MappingLimits;
  private readonly seenWarnings = new Set<string>();
  private droppedWarnings = 0;
  private nodes = 0;
  private output = 0;

  constructor(private readonly options: RenderMappingOptions) {
    this.limits = { ...DEFAULT_MAPPING_LIMITS, ...options.limits };
  }

  /** Render a whole mapping value (JSONPath strings, templates, objects, arrays, scalars). */
  render(mapping: unknown, encode?: (value: string) => string): RenderedValue {
    try {
      return this.node(mapping, 0, encode ?? this.options.encode);
    } catch (error) {
      throw asMappingError(error);
    }
  }

  /** Render a string as a template only (a JSONPath string is stringified), e.g. a header value. */
  renderString(template: string | Evaluated, encode?: (value: string) => string): { value: string; redacted: string } {
    const rendered = this.render(template, encode);
    return { value: stringify(rendered.value), redacted: stringify(rendered.redacted) };
  }

  /** The warnings, with a count of those dropped over the limit. */
  allWarnings(): string[] {
    return this.droppedWarnings > 0
      ? [...this.warnings, `…and ${this.droppedWarnings} more warnings`]
      : [...this.warnings];
  }

  warn(message: string) {
    if (this.seenWarnings.has(message)) return;
    this.seenWarnings.add(message);
    if (this.warnings.length >= this.limits.maxWarnings) this.droppedWarnings++;
    else this.warnings.push(message);
  }

  private node(node: unknown, depth: number, encode: ((value: string) => string) | undefined): RenderedValue {
    if (++this.nodes > this.limits.maxNodes) {
      throw new MappingError("LIMIT_EXCEEDED", `The mapping has more than ${this.limits.maxNodes} values`);
    }
    if (typeof node === "string") {
      if (isJsonPath(node)) {
        const value = this.jsonPath(node);
        return { value, redacted: value };
      }
      if (isExpression(node)) {
        throw new MappingError(
          "INVALID_MAPPING",
          `Expression ${quote(node)} was not evaluated: render requests with renderRequest (expressions are async)`,
        );
      }
      return this.template(node, encode);
    }
    if (node instanceof Evaluated) {
      // An expression's value (see expressions/plan.ts); one computed from a secret is masked whole.
      this.spend(jsonSize(node.value));
      return { value: node.value, redacted: node.tainted ? (this.options.mask ?? SECRET_MASK) : node.value };
    }
    if (node === null || typeof node !== "object") {
      this.spend(8);
      return { value: node, redacted: node };
    }
    if (depth >= this.limits.maxDepth) {
      throw new MappingError("LIMIT_EXCEEDED", `The mapping is nested more than ${this.limits.maxDepth} levels deep`);
    }
    if (Array.isArray(node)) {
      const value: unknown[] = [];
      const redacted: unknown[] = [];
      for (const item of node) {
        const rendered = this.node(item, depth + 1, encode);
        value.push(rendered.value);
        redacted.push(rendered.redacted);
      }
      return { value, redacted };
    }
    const value: Record<string, unknown> = {};
    const redacted: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      const rendered = this.node((node as Record<string, unknown>)[key], depth + 1, encode);
      this.spend(key.length);
      // defineProperty: a key named `__proto__` becomes an ordinary own key instead of a prototype.
      define(value, key, rendered.value);
      define(redacted, key, rendered.redacted);
    }
    return { value, redacted };
  }

  private jsonPath(path: string): unknown {
    const parsed = parsePath(path, this.limits);
    let results: unknown[];
    try {
      results = parsed.members
        ? walk(this.options.event, parsed.members)
        : (JSONPath({ path: parsed.path, json: this.options.event as never, eval: false, wrap: true }) ?? []);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw new MappingError("INVALID_MAPPING", `JSONPath ${quote(path)} failed: ${(error as Error).message}`);
    }
    for (const result of results) this.spend(jsonSize(result));
    if (parsed.definite) {
      if (results.length === 0) {
        this.warn(`Missing event path ${path} (rendered as null)`);
        return null;
      }
      return results[0];
    }
    if (results.length === 0) this.warn(`JSONPath ${path} matched nothing (rendered as [])`);
    return results;
  }

  private template(template: string, encode: ((value: string) => string) | undefined): RenderedValue {
    const parts = parseTemplate(template, this.limits);
    let value = "";
    let redacted = "";
    for (const part of parts) {
      if (part.kind === "text") {
        this.spend(part.text.length);
        value += part.text;
        redacted += part.text;
      } else if (part.kind === "event") {
        const found = lookup(this.options.event, part.path);
        if (!found.ok) this.warn(`Missing event path ${part.source} (rendered as empty)`);
        let text = found.ok ? stringify(found.value) : "";
        if (encode) text = encode(text);
        this.spend(text.length);
        value += text;
        redacted += text;
      } else {
        const secret = Object.hasOwn(this.options.secrets, part.name) ? this.options.secrets[part.name] : undefined;
        if (secret === undefined) {
          this.missingSecrets.add(part.name);
          if (this.options.missingSecret !== "warn") {
            throw new MappingError("MISSING_SECRET", `Secret "${part.name}" is not set on this connector`);
          }
          this.warn(`Secret "${part.name}" is not set on this connector (rendered as empty)`);
          continue;
        }
        this.secretsUsed.add(part.name);
        const text = encode ? encode(secret) : secret;
        this.spend(text.length);
        value += text;
        redacted += this.options.mask ?? SECRET_MASK;
      }
    }
    return { value, redacted };
  }

  private spend(chars: number) {
    this.output += chars;
    if (this.output > this.limits.maxOutputChars) {
      throw new MappingError(
        "LIMIT_EXCEEDED",
        `The rendered request would exceed ${this.limits.maxOutputChars} characters`,
      );
    }
  }
}

/** Render a mapping against an event: the value with real secrets, the redacted copy and the warnings. */
export function renderMapping(
  mapping: unknown,
  options: RenderMappingOptions,
): RenderedValue & { warnings: string[]; secretsUsed: string[] } {
  const renderer = new MappingRenderer(options);
  const rendered = renderer.render(mapping);
  return { ...rendered, warnings: renderer.allWarnings(), secretsUsed: [...renderer.secretsUsed] };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** Own-property lookup of a dot path (`payload.items.0.sku`): never reaches into prototypes. */
function lookup(root: unknown, path: string[]): { ok: true; value: unknown } | { ok: false } {
  let current: unknown = root;
  for (const segment of path) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return { ok: false };
      const index = Number(segment);
      if (index >= current.length) return { ok: false };
      current = current[index];
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { ok: false };
    }
  }
  return current === undefined ? { ok: false } : { ok: true, value: current };
}

/**
 * A definite JSONPath's value, as jsonpath-plus finds it (own properties only, strings' `length` and
 * indices included), in a tenth of the time: `[value]`, or `[]` when missing.
 */
function walk(root: unknown, members: string[]): unknown[] {
  let current: unknown = root;
  for (const member of members) {
    if (!current || !Object.hasOwn(Object(current), member)) return [];
    current = (current as Record<string, unknown>)[member];
  }
  return current === undefined ? [] : [current];
}

/** How an interpolated value reads inside a string: text as is, null as empty, objects as JSON. */
export function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value) ?? "";
  return String(value);
}

function jsonSize(value: unknown): number {
  if (value === null || typeof value !== "object") return typeof value === "string" ? value.length + 2 : 8;
  return JSON.stringify(value)?.length ?? 0;
}

function define(target: Record<string, unknown>, key: string, value: unknown) {
  // Plain assignment except for `__proto__`, which would set the prototype instead of a key.
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Turn anything thrown while rendering into a MappingError (a hostile event may exhaust the stack). */
export function asMappingError(error: unknown): MappingError {
  if (error instanceof MappingError) return error;
  if (error instanceof RangeError) {
    return new MappingError("LIMIT_EXCEEDED", "The event or mapping is nested too deeply to render");
  }
  return new MappingError("INVALID_MAPPING", `The mapping cannot be rendered: ${(error as Error)?.message ?? error}`);
}
