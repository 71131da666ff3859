"use client";

import { useId, useMemo } from "react";
import { Button, Card, Input, Select } from "@/components/ui";
import { build, type Draft } from "../draft";
import { SectionTitle } from "../section-title";
import { useConnectorPreview } from "../use-connector-preview";
import type { Scalar } from "./each-expression";
import {
  type FilterForm,
  type FilterOp,
  listFromText,
  newRuleId,
  OPERATORS,
  type RuleRow,
  type RuleValue,
} from "./filter-rows";
import { jsonPathsIn } from "./json-path";
import { useFilterForm } from "./use-filter-form";
import { FixedValue } from "./value-editors";

const MODES: Array<{ mode: FilterForm["mode"]; label: string }> = [
  { mode: "none", label: "Deliver every event with the name" },
  { mode: "all", label: "Only when all of these are true" },
  { mode: "any", label: "Only when any of these is true" },
  { mode: "expression", label: "Only when a formula is true" },
];
const LIST_OPS = new Set<FilterOp>(["in", "nin"]);

/** The rule's operator as the select shows it: `exists` with false is "is absent". */
const shownOp = (r: RuleRow) =>
  r.op === "exists" && r.value.type === "scalar" && r.value.value === false ? "absent" : r.op;

function withOp(rule: RuleRow, choice: string): RuleRow {
  if (choice === "absent") return { ...rule, op: "exists", value: { type: "scalar", value: false } };
  const op = choice as FilterOp;
  if (op === "exists") return { ...rule, op, value: { type: "none" } };
  const v = rule.value;
  if (LIST_OPS.has(op)) {
    if (v.type === "list") return { ...rule, op };
    const items = v.type === "scalar" && v.value !== null && typeof v.value !== "boolean" ? [v.value] : [];
    return {
      ...rule,
      op,
      value: { type: "list", of: items.every((i) => typeof i === "number") && items.length ? "number" : "text", items },
    };
  }
  if (v.type === "list") return { ...rule, op, value: { type: "scalar", value: v.items[0] ?? "" } };
  if (v.type === "none") return { ...rule, op, value: { type: "scalar", value: "" } };
  return { ...rule, op };
}

/** "Only deliver when…": the connector's filter as rows (or one formula), and whether the sample passes. */
export function FilterBuilder({
  draft,
  onChange,
  readOnly,
  error,
}: {
  draft: Draft;
  onChange: (update: (d: Draft) => Draft) => void;
  readOnly: boolean;
  error?: string;
}) {
  const listId = useId();
  const { form, reason, problems, setForm } = useFilterForm(draft, onChange);
  const { preview } = useConnectorPreview(draft);
  const verdict = preview.data?.filter;
  // The sample's fields, offered for a condition's field.
  const paths = useMemo(() => {
    const sample = build(draft).sample;
    return jsonPathsIn({
      id: "",
      name: "",
      source: null,
      time: "",
      ...(sample as object),
      payload: (sample as { payload?: unknown })?.payload ?? {},
    });
  }, [draft]);
  const setRule = (id: string, fn: (r: RuleRow) => RuleRow) =>
    setForm((f) =>
      f.mode === "all" || f.mode === "any" ? { ...f, rules: f.rules.map((r) => (r.id === id ? fn(r) : r)) } : f,
    );
  const blankRule = (): RuleRow => ({ id: newRuleId(), path: "", op: "eq", value: { type: "scalar", value: "" } });

  return (
    <Card className="p-4" aria-label="Filter">
      <SectionTitle
        title="Only deliver when…"
        hint="Events with the source name that fail these conditions create no delivery."
      />
      {reason ? (
        <div className="space-y-2">
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800" role="note">
            This filter is edited as JSON (Edit as JSON, above): {reason}
          </p>
          <pre className="overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-xs">
            {JSON.stringify(draft.extra.filter, null, 2)}
          </pre>
          {!readOnly ? (
            <Button size="sm" onClick={() => setForm(() => ({ mode: "all", rules: [blankRule()] }))}>
              Replace with conditions
            </Button>
          ) : null}
        </div>
      ) : (
        <div className="space-y-3">
          <Select
            aria-label="When to deliver"
            value={form.mode}
            onChange={(e) => {
              const mode = e.target.value as FilterForm["mode"];
              setForm((f) => {
                if (mode === "none") return { mode };
                if (mode === "expression")
                  return { mode, expression: f.mode === "expression" ? f.expression : "{% payload.total > 100 %}" };
                return { mode, rules: f.mode === "all" || f.mode === "any" ? f.rules : [blankRule()] };
              });
            }}
          >
            {MODES.map((m) => (
              <option key={m.mode} value={m.mode}>
                {m.label}
              </option>
            ))}
          </Select>
          {form.mode === "expression" ? (
            <Input
              aria-label="Filter formula"
              value={form.expression}
              onChange={(e) => setForm(() => ({ mode: "expression", expression: e.target.value }))}
              className="font-mono text-[13px]"
              placeholder="{% payload.total > 100 %}"
            />
          ) : form.mode === "all" || form.mode === "any" ? (
            <>
              <datalist id={listId}>
                {paths.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
              <ol className="space-y-2">
                {form.rules.map((rule, i) => (
                  <li
                    key={rule.id}
                    className="rounded-md p-2 ring-1 ring-zinc-200 ring-inset"
                    data-testid="filter-rule"
                  >
                    <div className="grid grid-cols-[minmax(0,1fr)_9.5rem_auto] items-center gap-2">
                      <Input
                        aria-label={`Field of condition ${i + 1}`}
                        value={rule.path}
                        list={listId}
                        placeholder="$.payload.country"
                        onChange={(e) => setRule(rule.id, (r) => ({ ...r, path: e.target.value }))}
                        className="h-8 font-mono text-[13px]"
                      />
                      <Select
                        aria-label={`Operator of condition ${i + 1}`}
                        value={shownOp(rule)}
                        onChange={(e) => setRule(rule.id, (r) => withOp(r, e.target.value))}
                        className="h-8 py-0 text-xs"
                      >
                        {OPERATORS.map((o) => (
                          <option key={o.op} value={o.op}>
                            {o.label}
                          </option>
                        ))}
                        <option value="absent">is absent</option>
                      </Select>
                      <button
                        type="button"
                        aria-label={`Remove condition ${i + 1}`}
                        onClick={() =>
                          setForm((f) =>
                            f.mode === "all" || f.mode === "any"
                              ? { ...f, rules: f.rules.filter((r) => r.id !== rule.id) }
                              : f,
                          )
                        }
                        className="size-7 rounded text-sm text-zinc-500 hover:bg-zinc-100"
                      >
                        ✕
                      </button>
                    </div>
                    <RuleValueEditor
                      label={`Value of condition ${i + 1}`}
                      rule={rule}
                      onChange={(value) => setRule(rule.id, (r) => ({ ...r, value }))}
                    />
                    {problems[rule.id] ? <p className="mt-1 text-xs text-amber-700">{problems[rule.id]}</p> : null}
                  </li>
                ))}
              </ol>
              {!readOnly ? (
                <Button
                  size="sm"
                  onClick={() =>
                    setForm((f) =>
                      f.mode === "all" || f.mode === "any" ? { ...f, rules: [...f.rules, blankRule()] } : f,
                    )
                  }
                >
                  Add condition
                </Button>
              ) : null}
            </>
          ) : null}
        </div>
      )}
      {error ? (
        <p className="mt-2 text-sm text-red-600" role="alert">
          {error}
        </p>
      ) : null}
      {verdict && (form.mode !== "none" || reason) ? (
        <p
          className={verdict.matched ? "mt-3 text-xs text-green-700" : "mt-3 text-xs text-amber-800"}
          data-testid="filter-verdict"
          aria-live="polite"
        >
          {verdict.matched ? "✓ The sample event passes." : `✕ The sample event does not pass: ${verdict.reason}.`}
        </p>
      ) : null}
    </Card>
  );
}

function RuleValueEditor({
  label,
  rule,
  onChange,
}: {
  label: string;
  rule: RuleRow;
  onChange: (v: RuleValue) => void;
}) {
  const v = rule.value;
  if (rule.op === "exists") return null;
  if (v.type === "list") {
    return (
      <div className="mt-2 grid grid-cols-[8rem_minmax(0,1fr)] gap-2">
        <Select
          aria-label={`List type for ${label.replace(/^Value of /, "")}`}
          value={v.of}
          onChange={(e) => {
            const of = e.target.value as "text" | "number";
            onChange({ type: "list", of, items: listFromText(v.items.join(", "), of) });
          }}
        >
          <option value="text">Text list</option>
          <option value="number">Number list</option>
        </Select>
        <Input
          key={v.of}
          aria-label={label}
          defaultValue={v.items.join(", ")}
          placeholder="BR, AR"
          onChange={(e) => onChange({ type: "list", of: v.of, items: listFromText(e.target.value, v.of) })}
        />
      </div>
    );
  }
  return (
    <div className="mt-2">
      <FixedValue
        label={label}
        value={v.type === "scalar" ? v.value : ""}
        onChange={(value: Scalar) => onChange({ type: "scalar", value })}
        onFocus={() => {}}
      />
    </div>
  );
}
