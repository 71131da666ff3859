import { DEFAULT_REQUEST_TIMEOUT_MS, fieldName, RequestPlan } from "./expressions/plan.ts";
import { type EventEnvelope, MappingError, MappingRenderer, SECRET_MASK } from "./mapping.ts";

/**
 * Each field of a mapping rendered on its own (the admin's visual mapper shows every target field's value
 * for the sample, and its own warning or error): the leaves of the mapping's objects, each with its value
 * (secrets and values computed from them masked), the warnings it caused and, when it cannot render, its
 * error. One field's error does not hide the others' values, unlike the request as a whole.
 */

export interface MappingFieldResult {
  /** Where the field sits in the body, e.g. `["customer", "email"]`. */
  path: string[];
  /** How messages name it: `mapping.customer.email`. */
  field: string;
  /** The rendered value, masked where it came from a secret; absent when it gave none or failed. */
  value?: unknown;
  warnings: string[];
  error?: string;
}

export interface MappingFieldsInput {
  mapping: unknown;
  event: EventEnvelope;
  secrets: Record<string, string>;
  /** At most this many fields are rendered (the rest are not listed). */
  maxFields?: number;
  /** Milliseconds of expression work all fields may take together. */
  budgetMs?: number;
}

export const MAX_FIELD_RESULTS = 200;

/** The fields of a mapping that is an object (nested objects are walked); anything else has none. */
export async function renderMappingFields(input: MappingFieldsInput): Promise<MappingFieldResult[]> {
  const leaves: Array<{ path: string[]; value: unknown }> = [];
  const max = input.maxFields ?? MAX_FIELD_RESULTS;
  const visit = (node: unknown, path: string[]) => {
    if (leaves.length >= max) return;
    if (node !== null && typeof node === "object" && !Array.isArray(node) && path.length < 32) {
      for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key], [...path, key]);
      return;
    }
    if (path.length > 0) leaves.push({ path, value: node });
  };
  visit(input.mapping, []);

  const started = performance.now();
  const budgetMs = input.budgetMs ?? DEFAULT_REQUEST_TIMEOUT_MS * 2;
  const results: MappingFieldResult[] = [];
  for (const leaf of leaves) {
    const field = fieldName(["mapping", ...leaf.path]);
    const result: MappingFieldResult = { path: leaf.path, field, warnings: [] };
    results.push(result);
    const leftMs = budgetMs - (performance.now() - started);
    if (leftMs <= 0) {
      result.error = "Not rendered: the other fields used up the preview's time";
      continue;
    }
    // The field alone at its place, so messages name it as the whole request's would.
    const mapping = nest(leaf.path, leaf.value);
    try {
      const plan = RequestPlan.compile({ destination: {}, mapping });
      const evaluated = await plan.evaluate({ destination: {}, mapping }, input.event, {
        secrets: input.secrets,
        missingSecret: "warn",
        budgetMs: leftMs,
      });
      const renderer = new MappingRenderer({ event: input.event, secrets: input.secrets, missingSecret: "warn" });
      const rendered = renderer.render(evaluated.spec.mapping);
      const value = pick(rendered.redacted, leaf.path);
      if (value !== undefined) result.value = value;
      result.warnings = [...evaluated.warnings, ...renderer.allWarnings()].map((w) => masked(w, input.secrets));
    } catch (error) {
      result.error = masked(
        error instanceof MappingError ? error.message : `${field}: ${(error as Error)?.message ?? error}`,
        input.secrets,
      );
    }
  }
  return results;
}

function nest(path: string[], value: unknown): Record<string, unknown> {
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const level: Record<string, unknown> = {};
    Object.defineProperty(level, path[i] as string, {
      value: out,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    out = level;
  }
  return out as Record<string, unknown>;
}

function pick(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A message quoting a secret's value (a runtime error may) shows it masked. */
function masked(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(secrets).sort((a, b) => b.length - a.length)) {
    if (value.length >= 4 && out.includes(value)) out = out.split(value).join(SECRET_MASK);
  }
  return out;
}
