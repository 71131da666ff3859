import { JSONPath } from "jsonpath-plus";
import Mustache from "mustache";

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

export type MappingErrorCode =
  | "MISSING_SECRET"
  | "LIMIT_EXCEEDED"
  | "INVALID_MAPPING"
  | "INVALID_URL"
  | "INVALID_HEADER"
  | "INVALID_BODY";

/** A mapping that cannot be rendered. Permanent: rendering again gives the same answer. */
export class MappingError extends Error {
  readonly code: MappingErrorCode;
  constructor(code: MappingErrorCode, message: string) {
    super(message);
    this.name = "MappingError";
    this.code = code;
  }
}

export interface MappingLimits {
  /** Nesting of the mapping itself (objects and arrays). */
  maxDepth: number;
  /** Values in the mapping (every object, array, string, scalar). */
  maxNodes: number;
  /** Length of one template string in the mapping. */
  maxTemplateLength: number;
  /** Characters of rendered output (strings, plus the JSON size of values copied from the event). */
  maxOutputChars: number;
  /** `..` (recursive descent) segments in one JSONPath. */
  maxRecursiveDescents: number;
  /** Warnings kept (the rest are counted in one last warning). */
  maxWarnings: number;
}

export const DEFAULT_MAPPING_LIMITS: MappingLimits = {
  maxDepth: 32,
  maxNodes: 10_000,
  maxTemplateLength: 64 * 1024,
  maxOutputChars: 5 * 1024 * 1024,
  maxRecursiveDescents: 1,
  maxWarnings: 50,
};

/** What a secret renders as in the redacted copy. Never derived from the value. */
export const SECRET_MASK = "••••••";

const OPEN = "<<";
const CLOSE = ">>";
const JSONPATH_RE = /^\$(?:$|[.[])/;
// `{{event.x}}`, `{{&event.x}}`, `{{{event.x}}}`, `{{secret.x}}`. Other `{{…}}` text (e.g. a WhatsApp
// template's `{{1}}`) stays literal. The character classes exclude the delimiters: no backtracking blow-up.
const LEGACY_RE =
  /\{\{\{\s*((?:event|secret)(?:\.[^{}\s]*)?)\s*\}\}\}|\{\{\s*&?\s*((?:event|secret)(?:\.[^{}\s]*)?)\s*\}\}/g;
export const SECRET_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A string the mapping treats as a JSONPath rather than a template. */
export function isJsonPath(value: string): boolean {
  return JSONPATH_RE.test(value);
}

// ---------------------------------------------------------------------------------------------------------
// Parsing (cached, bounded)

type Part =
  | { kind: "text"; text: string }
  | { kind: "event"; path: string[]; source: string }
  | { kind: "secret"; name: string; source: string };

interface ParsedPath {
  path: string;
  definite: boolean;
  /** The member names of a path made only of names and indices: walked directly, without jsonpath-plus. */
  members: string[] | null;
}

const CACHE_LIMIT = 1_000;
const templateCache = new Map<string, Part[]>();
const pathCache = new Map<string, ParsedPath>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function parseTemplate(template: string, limits: MappingLimits): Part[] {
  const cached = templateCache.get(template);
  if (cached) return cached;
  if (template.length > limits.maxTemplateLength) {
    throw new MappingError(
      "LIMIT_EXCEEDED",
      `A mapping string is ${template.length} characters long; the limit is ${limits.maxTemplateLength}`,
    );
  }
  const parts: Part[] = [];
  if (template.includes(OPEN)) {
    let tokens: unknown[];
    try {
      // A private writer without a cache: the global one grows without bound on distinct templates.
      const writer = new Mustache.Writer();
      (writer as unknown as { templateCache: unknown }).templateCache = undefined;
      tokens = writer.parse(template, [OPEN, CLOSE]);
    } catch (error) {
      throw new MappingError(
        "INVALID_MAPPING",
        `Cannot parse template ${quote(template)}: ${(error as Error).message}`,
      );
    }
    for (const token of tokens as [string, string, ...unknown[]][]) {
      const [type, value] = token;
      if (type === "text") parseLegacy(value, parts);
      else if (type === "name" || type === "&" || type === "{") parts.push(placeholder(value.trim(), template, "<<"));
      else if (type === "!" || type === "=") continue;
      else {
        throw new MappingError(
          "INVALID_MAPPING",
          `Template ${quote(template)} uses a mustache ${type === ">" ? "partial" : "section"}; only <<event.path>> and <<secret.name>> placeholders are supported`,
        );
      }
    }
  } else {
    parseLegacy(template, parts);
  }
  return remember(templateCache, template, parts);
}

function parseLegacy(text: string, parts: Part[]) {
  if (!text.includes("{{")) {
    parts.push({ kind: "text", text });
    return;
  }
  let last = 0;
  for (const match of text.matchAll(LEGACY_RE)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ kind: "text", text: text.slice(last, at) });
    parts.push(placeholder((match[1] ?? match[2]) as string, text, "{{"));
    last = at + match[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
}

function placeholder(name: string, template: string, spelling: "<<" | "{{"): Part {
  const source = spelling === "<<" ? `<<${name}>>` : `{{${name}}}`;
  const segments = name.split(".");
  const [root, ...rest] = segments;
  if (root === "event") {
    if (rest.some((s) => s === "")) {
      throw new MappingError("INVALID_MAPPING", `Placeholder ${source} has an empty path segment`);
    }
    return { kind: "event", path: rest, source };
  }
  if (root === "secret") {
    const secretName = rest.join(".");
    if (!SECRET_NAME_RE.test(secretName)) {
      throw new MappingError(
        "INVALID_MAPPING",
        `Placeholder ${source} does not name a secret (letters, digits, _ and -, e.g. <<secret.apiKey>>)`,
      );
    }
    return { kind: "secret", name: secretName, source };
  }
  throw new MappingError(
    "INVALID_MAPPING",
    `Unknown placeholder ${source} in ${quote(template)}: use <<event.path>> or <<secret.name>>`,
  );
}

function parsePath(path: string, limits: MappingLimits): ParsedPath {
  const cached = pathCache.get(path);
  if (cached) return cached;
  if (path.length > limits.maxTemplateLength) {
    throw new MappingError("LIMIT_EXCEEDED", `A JSONPath is ${path.length} characters long`);
  }
  let segments: string[];
  try {
    segments = JSONPath.toPathArray(path);
    // jsonpath-plus keeps its own unbounded cache of parsed paths; ours is bounded and in front of it.
    if (Object.keys(JSONPath.cache).length > CACHE_LIMIT) JSONPath.cache = {};
  } catch (error) {
    throw new MappingError("INVALID_MAPPING", `Invalid JSONPath ${quote(path)}: ${(error as Error).message}`);
  }
  let descents = 0;
  let definite = true;
  for (const segment of segments.slice(1)) {
    if (segment.startsWith("?(") || segment.startsWith("(")) {
      throw new MappingError(
        "INVALID_MAPPING",
        `JSONPath ${quote(path)} uses a script or filter expression, which is disabled`,
      );
    }
    if (segment === "..") descents++;
    if (segment === ".." || /[*,:~^@$()?]/.test(segment)) definite = false;
  }
  if (descents > limits.maxRecursiveDescents) {
    throw new MappingError(
      "LIMIT_EXCEEDED",
      `JSONPath ${quote(path)} has ${descents} recursive descents (..); at most ${limits.maxRecursiveDescents} allowed`,
    );
  }
  return remember(pathCache, path, { path, definite, members: definite ? segments.slice(1) : null });
}

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
  renderString(template: string, encode?: (value: string) => string): { value: string; redacted: string } {
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
      return this.template(node, encode);
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

/**
 * Check a mapping without an event: every template parses, every placeholder names `event.…` or `secret.…`,
 * no JSONPath uses scripts, and the limits hold. Returns problems as messages (empty = valid).
 */
export function validateMapping(mapping: unknown, limits?: Partial<MappingLimits>): string[] {
  const all = { ...DEFAULT_MAPPING_LIMITS, ...limits };
  const problems: string[] = [];
  let nodes = 0;
  const visit = (node: unknown, depth: number) => {
    if (++nodes > all.maxNodes) throw new MappingError("LIMIT_EXCEEDED", `more than ${all.maxNodes} values`);
    if (typeof node === "string") {
      try {
        if (isJsonPath(node)) parsePath(node, all);
        else parseTemplate(node, all);
      } catch (error) {
        problems.push((error as Error).message);
      }
      return;
    }
    if (node === null || typeof node !== "object") return;
    if (depth >= all.maxDepth) throw new MappingError("LIMIT_EXCEEDED", `nested more than ${all.maxDepth} levels`);
    for (const child of Array.isArray(node) ? node : Object.values(node)) visit(child, depth + 1);
  };
  try {
    visit(mapping, 0);
  } catch (error) {
    problems.push(`The mapping is too large: ${(error as Error).message}`);
  }
  return problems.slice(0, all.maxWarnings);
}

/** The secret names a mapping (or a header/URL template) refers to. Invalid templates are skipped. */
export function secretReferences(...values: unknown[]): string[] {
  const names = new Set<string>();
  const stack: unknown[] = [...values];
  let budget = DEFAULT_MAPPING_LIMITS.maxNodes * 4;
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop();
    if (typeof node === "string") {
      if (isJsonPath(node)) continue;
      try {
        for (const part of parseTemplate(node, DEFAULT_MAPPING_LIMITS))
          if (part.kind === "secret") names.add(part.name);
      } catch {
        // reported by validateMapping
      }
    } else if (node !== null && typeof node === "object") {
      stack.push(...(Array.isArray(node) ? node : Object.values(node)));
    }
  }
  return [...names].sort();
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
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** Turn anything thrown while rendering into a MappingError (a hostile event may exhaust the stack). */
export function asMappingError(error: unknown): MappingError {
  if (error instanceof MappingError) return error;
  if (error instanceof RangeError) {
    return new MappingError("LIMIT_EXCEEDED", "The event or mapping is nested too deeply to render");
  }
  return new MappingError("INVALID_MAPPING", `The mapping cannot be rendered: ${(error as Error)?.message ?? error}`);
}
