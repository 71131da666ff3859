import { JSONPath } from "jsonpath-plus";
import Mustache from "mustache";
import { checkExpression, expressionFacts, isExpression } from "./expressions/syntax.ts";

/**
 * The mapping language's syntax (DESIGN §6): what a JSONPath string and a template are, how they parse, and
 * the checks a mapping gets when it is saved. Rendering is in `mapping.ts`.
 */

export type MappingErrorCode =
  | "MISSING_SECRET"
  | "LIMIT_EXCEEDED"
  | "INVALID_MAPPING"
  | "INVALID_URL"
  | "INVALID_HEADER"
  | "INVALID_BODY"
  | "EXPRESSION_ERROR";

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

export type Part =
  | { kind: "text"; text: string }
  | { kind: "event"; path: string[]; source: string }
  | { kind: "secret"; name: string; source: string };

export interface ParsedPath {
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

export function parseTemplate(template: string, limits: MappingLimits): Part[] {
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

export function parsePath(path: string, limits: MappingLimits): ParsedPath {
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

/** A problem found in a mapping on save, with where it is (`["customer", "name"]`, relative to the mapping). */
export interface MappingProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Check a mapping without an event: every template parses, every placeholder names `event.…` or `secret.…`,
 * no JSONPath uses scripts, every `{% … %}` expression parses and calls known functions, and the limits hold.
 */
export function mappingProblems(mapping: unknown, limits?: Partial<MappingLimits>): MappingProblem[] {
  const all = { ...DEFAULT_MAPPING_LIMITS, ...limits };
  const problems: MappingProblem[] = [];
  const path: (string | number)[] = [];
  let nodes = 0;
  const visit = (node: unknown, depth: number) => {
    if (++nodes > all.maxNodes) throw new MappingError("LIMIT_EXCEEDED", `more than ${all.maxNodes} values`);
    if (typeof node === "string") {
      if (isExpression(node)) {
        for (const problem of checkExpression(node)) problems.push({ path: [...path], message: problem.message });
        return;
      }
      try {
        if (isJsonPath(node)) parsePath(node, all);
        else parseTemplate(node, all);
      } catch (error) {
        problems.push({ path: [...path], message: (error as Error).message });
      }
      return;
    }
    if (node === null || typeof node !== "object") return;
    if (depth >= all.maxDepth) throw new MappingError("LIMIT_EXCEEDED", `nested more than ${all.maxDepth} levels`);
    const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
    for (const [key, child] of entries) {
      path.push(key);
      visit(child, depth + 1);
      path.pop();
    }
  };
  try {
    visit(mapping, 0);
  } catch (error) {
    problems.push({ path: [], message: `The mapping is too large: ${(error as Error).message}` });
  }
  return problems.slice(0, all.maxWarnings);
}

/** {@link mappingProblems} as messages (empty = valid). */
export function validateMapping(mapping: unknown, limits?: Partial<MappingLimits>): string[] {
  return mappingProblems(mapping, limits).map((p) => p.message);
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
      if (isExpression(node)) {
        for (const name of expressionFacts(node)?.secrets ?? []) if (SECRET_NAME_RE.test(name)) names.add(name);
        continue;
      }
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

export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
