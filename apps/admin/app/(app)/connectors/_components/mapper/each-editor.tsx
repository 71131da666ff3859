"use client";

import { Button, cn, Input, Select } from "@/components/ui";
import { type EachSpec, type ItemField, type ItemValue, newItemId } from "./each-expression";
import type { RowContext } from "./field-row";
import { jsonataPathOf, jsonPathOf } from "./json-path";
import type { RowValue } from "./mapping-rows";
import { isTarget } from "./target";
import { FixedValue, FormulaValue } from "./value-editors";

const ITEM_KINDS: Array<{ kind: ItemValue["kind"]; label: string }> = [
  { kind: "item", label: "Field of the item" },
  { kind: "fixed", label: "Fixed value" },
  { kind: "formula", label: "Formula" },
];

function convertItem(value: ItemValue, kind: ItemValue["kind"]): ItemValue {
  if (value.kind === kind) return value;
  if (kind === "item") return { kind: "item", path: [] };
  if (kind === "fixed") return { kind: "fixed", value: "" };
  return { kind: "formula", expression: value.kind === "item" ? jsonataPathOf(value.path, "$item") : "" };
}

/** "For each item of …": the list to go through, and the fields each of its items becomes. */
export function EachEditor({
  rowId,
  label,
  spec,
  onChange,
  context,
}: {
  rowId: string;
  label: string;
  spec: EachSpec;
  onChange: (value: RowValue) => void;
  context: RowContext;
}) {
  const { active, setActive } = context;
  const set = (next: Partial<EachSpec>) => onChange({ kind: "each", ...spec, ...next });
  const setField = (id: string, fn: (f: ItemField) => ItemField) =>
    set({ fields: spec.fields.map((f) => (f.id === id ? fn(f) : f)) });
  const pickingSource = isTarget(active, rowId, "source");

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-zinc-600">For each item of</span>
        <code
          className={cn(
            "rounded-full px-2 py-0.5 font-mono text-[13px]",
            spec.source.length ? "bg-accent-50 text-accent-900" : "bg-zinc-100 text-zinc-400",
          )}
          data-testid="each-source"
        >
          {spec.source.length ? jsonPathOf(spec.source) : "no list chosen"}
        </code>
        <Button
          size="sm"
          variant={pickingSource ? "primary" : "secondary"}
          aria-label={`Choose the list for ${label}`}
          onClick={() => {
            setActive({ rowId, part: "source" });
            context.focusTree();
          }}
        >
          {pickingSource ? "Click a list in the sample" : "Choose list"}
        </Button>
      </div>
      <ul className="space-y-1.5 border-l-2 border-zinc-200 pl-3" aria-label={`Item fields of ${label}`}>
        {spec.fields.map((f) => {
          const itemLabel = `${label} item field ${f.name || "(unnamed)"}`;
          const picking = isTarget(active, rowId, "item", f.id);
          return (
            <li key={f.id} className={cn("rounded p-1.5", picking && "bg-accent-50/60 ring-1 ring-accent-300")}>
              <div className="grid grid-cols-[8rem_9rem_minmax(0,1fr)_auto] items-center gap-1.5">
                <Input
                  aria-label={`Name of ${itemLabel}`}
                  value={f.name}
                  placeholder="name"
                  onFocus={() => setActive(null)}
                  onChange={(e) => setField(f.id, (x) => ({ ...x, name: e.target.value }))}
                  className="h-8 font-mono text-[13px]"
                />
                <Select
                  aria-label={`Kind of ${itemLabel}`}
                  value={f.value.kind}
                  onFocus={() => setActive(null)}
                  onChange={(e) =>
                    setField(f.id, (x) => ({ ...x, value: convertItem(x.value, e.target.value as ItemValue["kind"]) }))
                  }
                  className="h-8 py-0 text-xs"
                >
                  {ITEM_KINDS.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </Select>
                {f.value.kind === "item" ? (
                  <button
                    type="button"
                    aria-label={`Value of ${itemLabel}: item.${f.value.path.join(".")} (pick from the sample)`}
                    onClick={() => {
                      setActive({ rowId, part: "item", itemId: f.id });
                      context.focusTree();
                    }}
                    className="justify-self-start truncate rounded-full bg-accent-50 px-2 py-0.5 font-mono text-[13px] text-accent-900 ring-1 ring-accent-200 hover:bg-accent-100"
                  >
                    {f.value.path.length ? `item.${f.value.path.join(".")}` : "the whole item"}
                  </button>
                ) : (
                  <span />
                )}
                <button
                  type="button"
                  aria-label={`Remove ${itemLabel}`}
                  onClick={() => set({ fields: spec.fields.filter((x) => x.id !== f.id) })}
                  className="size-7 rounded text-sm text-zinc-500 hover:bg-zinc-100"
                >
                  ✕
                </button>
              </div>
              {f.value.kind === "fixed" ? (
                <div className="mt-1.5">
                  <FixedValue
                    label={`Value of ${itemLabel}`}
                    value={f.value.value}
                    onChange={(value) => setField(f.id, (x) => ({ ...x, value: { kind: "fixed", value } }))}
                    onFocus={() => setActive(null)}
                  />
                </div>
              ) : f.value.kind === "formula" ? (
                <div className="mt-1.5">
                  <FormulaValue
                    label={`Value of ${itemLabel}`}
                    expression={f.value.expression}
                    onChange={(expression) => setField(f.id, (x) => ({ ...x, value: { kind: "formula", expression } }))}
                    onFocus={(insert) => setActive({ rowId, part: "item", itemId: f.id, insert })}
                    fallbackArg="$item"
                  />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      <Button
        size="sm"
        variant="ghost"
        onClick={() =>
          set({ fields: [...spec.fields, { id: newItemId(), name: "", value: { kind: "item", path: [] } }] })
        }
      >
        Add item field
      </Button>
    </div>
  );
}
