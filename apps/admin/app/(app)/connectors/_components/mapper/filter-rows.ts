// "Only deliver when…": a connector's `filter` (DESIGN §10) as rows of field / operator / value joined by
// all or any, or one formula. Pure. Filters the form cannot show (nested groups, `not`) are edited as JSON.
import type { Scalar } from "./each-expression";

export const OPERATORS = [
  { op: "eq", label: "is" },
  { op: "ne", label: "is not" },
  { op: "gt", label: "is greater than" },
  { op: "gte", label: "is at least" },
  { op: "lt", label: "is less than" },
  { op: "lte", label: "is at most" },
  { op: "in", label: "is one of" },
  { op: "nin", label: "is none of" },
  { op: "contains", label: "contains" },
  { op: "startsWith", label: "starts with" },
  { op: "endsWith", label: "ends with" },
  { op: "exists", label: "is present" },
] as const;
export type FilterOp = (typeof OPERATORS)[number]["op"];

/** A rule's value as the form edits it. `exists` has none (present) or false (absent). */
export type RuleValue =
  | { type: "none" }
  | { type: "scalar"; value: Scalar }
  | { type: "list"; of: "text" | "number"; items: Array<string | number> };

export interface RuleRow {
  id: string;
  path: string;
  op: FilterOp;
  value: RuleValue;
}

export type FilterForm =
  | { mode: "none" }
  | { mode: "all" | "any"; rules: RuleRow[] }
  | { mode: "expression"; expression: string };

let nextId = 0;
export const newRuleId = () => `rule-${++nextId}`;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const OPS = new Set<string>(OPERATORS.map((o) => o.op));

function ruleValueOf(rule: Record<string, unknown>): RuleValue | null {
  if (!Object.hasOwn(rule, "value")) return { type: "none" };
  const v = rule.value;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "number" && Number.isFinite(x))) return { type: "list", of: "number", items: v };
    // Text items are edited comma-separated: one holding a comma cannot be shown.
    if (v.every((x) => typeof x === "string" && !x.includes(",") && x.trim() === x && x !== ""))
      return { type: "list", of: "text", items: v };
    return null;
  }
  if (v === null || ["string", "number", "boolean"].includes(typeof v)) return { type: "scalar", value: v as Scalar };
  return null;
}

/** The form for a filter, or why it cannot show it. */
export function formFromFilter(filter: unknown): { form: FilterForm } | { reason: string } {
  if (filter === null || filter === undefined) return { form: { mode: "none" } };
  if (!isRecord(filter)) return { reason: "The filter is not an object." };
  const keys = Object.keys(filter);
  if (keys.length === 1 && typeof filter.expression === "string") {
    const e = filter.expression;
    return e.startsWith("{%") && e.endsWith("%}")
      ? { form: { mode: "expression", expression: e } }
      : { reason: "The filter's expression is not written as {% … %}." };
  }
  const mode = keys.length === 1 && (keys[0] === "all" || keys[0] === "any") ? keys[0] : null;
  if (!mode) return { reason: "The filter uses a “not” group or more than one group at the top." };
  const list = filter[mode];
  if (!Array.isArray(list) || list.length === 0) return { reason: `The filter's “${mode}” is not a list of rules.` };
  const rules: RuleRow[] = [];
  for (const item of list) {
    if (!isRecord(item)) return { reason: "The filter has an entry that is not a rule." };
    if ("all" in item || "any" in item || "not" in item) return { reason: "The filter has nested groups." };
    if (Object.keys(item).some((k) => k !== "path" && k !== "op" && k !== "value"))
      return { reason: "A rule has fields other than path, op and value." };
    if (typeof item.path !== "string" || typeof item.op !== "string" || !OPS.has(item.op))
      return { reason: "A rule has no path or an unknown operator." };
    const value = ruleValueOf(item);
    if (!value) return { reason: `A rule's value (${JSON.stringify(item.value)}) cannot be edited in the form.` };
    rules.push({ id: newRuleId(), path: item.path, op: item.op as FilterOp, value });
  }
  return { form: { mode, rules } };
}

/** The filter a form builds (null: every event), and the rules not written yet with their problem. */
export function filterFromForm(form: FilterForm): { filter: unknown; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (form.mode === "none") return { filter: null, problems };
  if (form.mode === "expression") return { filter: { expression: form.expression }, problems };
  const rules: Record<string, unknown>[] = [];
  for (const row of form.rules) {
    if (!/^\$(?:$|[.[])/.test(row.path)) {
      problems[row.id] = "Choose a field of the event (a JSONPath starting with $).";
      continue;
    }
    const rule: Record<string, unknown> = { path: row.path, op: row.op };
    if (row.value.type === "scalar") rule.value = row.value.value;
    else if (row.value.type === "list") rule.value = row.value.items;
    if (row.op !== "exists" && row.value.type === "none") {
      problems[row.id] = "Give a value to compare with.";
      continue;
    }
    rules.push(rule);
  }
  return { filter: rules.length ? { [form.mode]: rules } : null, problems };
}

/** A list typed as `BR, AR` (numbers when every item is one). */
export function listFromText(text: string, of: "text" | "number"): Array<string | number> {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return of === "number" ? items.map(Number).filter(Number.isFinite) : items;
}
