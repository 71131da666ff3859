"use client";

import { useId, useMemo, useState } from "react";
import { Button } from "@/components/ui";
import { type FieldResult, fieldKey } from "../use-connector-preview";
import { eachOf } from "./convert";
import type { ItemValue } from "./each-expression";
import { FieldRowEditor, type RowContext } from "./field-row";
import { fieldNameFor, jsonataPathOf, jsonPathOf, placeholderOf, type Segment } from "./json-path";
import { type FieldRow, namePath, newRowId, type RowValue } from "./mapping-rows";
import { SampleTree } from "./sample-tree";
import type { Target } from "./target";

/** Placeholders for every leaf of the sample (the "Insert event field" menu). */
function leafPlaceholders(root: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, segments: Segment[]) => {
    if (out.length >= 200) return;
    if (node !== null && typeof node === "object") {
      const entries = Array.isArray(node) ? node.slice(0, 5).map((v, i) => [i, v] as const) : Object.entries(node);
      for (const [k, v] of entries) walk(v, [...segments, k]);
      return;
    }
    const ph = placeholderOf(segments);
    if (ph) out.push(ph);
  };
  walk(root, []);
  return out;
}

/** The list item a path points into, relative to the list (`["payload","items",0,"sku"]` → `["sku"]`). */
function relativeToItem(segments: Segment[], source: Segment[]): Segment[] | null {
  if (segments.length <= source.length || typeof segments[source.length] !== "number") return null;
  if (source.some((s, i) => segments[i] !== s)) return null;
  return segments.slice(source.length + 1);
}

/**
 * The mapping as a form: the sample event as a tree beside the target fields. Clicking a field of the
 * sample adds a target field mapped to it — or, while a field's value is being edited, sets that value
 * (inserts it, for text and formulas).
 */
export function VisualMapper({
  rows,
  problems,
  setRows,
  envelope,
  results,
  stale,
  secretNames,
  readOnly,
}: {
  rows: FieldRow[];
  problems: Record<string, string>;
  setRows: (update: (rows: FieldRow[]) => FieldRow[]) => void;
  /** The event as the mapping sees it. */
  envelope: unknown;
  results: Map<string, FieldResult>;
  stale: boolean;
  secretNames: string[];
  readOnly: boolean;
}) {
  const treeId = useId();
  const [active, setActive] = useState<Target | null>(null);
  const [lastPicked, setLastPicked] = useState("payload");
  const [notice, setNotice] = useState("");
  const eventFields = useMemo(() => leafPlaceholders(envelope), [envelope]);

  const updateRow = (id: string, fn: (row: FieldRow) => FieldRow) =>
    setRows((rs) => rs.map((r) => (r.id === id ? fn(r) : r)));
  const setValue = (id: string, value: RowValue) => updateRow(id, (r) => ({ ...r, value }));
  const freeName = (base: string) => {
    if (base === "") return base;
    const taken = new Set(rows.map((r) => r.name));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    return name;
  };
  const addRow = (name: string, value: RowValue) => {
    const row = { id: newRowId(), name: freeName(name), value };
    setRows((rs) => [...rs, row]);
    return row;
  };

  function pick(segments: Segment[], value: unknown) {
    const path = jsonPathOf(segments);
    setLastPicked(jsonataPathOf(segments) || "$");
    const row = active ? rows.find((r) => r.id === active.rowId) : undefined;
    if (!active || !row) {
      const added = addRow(fieldNameFor(segments), { kind: "path", path });
      setActive(null);
      setNotice(`Added ${added.name} ← ${path}`);
      return;
    }
    const v = row.value;
    if (active.part === "value") {
      if (v.kind === "text") {
        const ph = placeholderOf(segments);
        if (!ph) return setNotice(`${path} cannot be written as a placeholder: use a formula for it.`);
        if (active.insert) active.insert(ph);
        else setValue(row.id, { kind: "text", template: v.template + ph });
      } else if (v.kind === "formula") {
        const ref = jsonataPathOf(segments) || "$";
        if (active.insert) active.insert(ref);
        else setValue(row.id, { ...v, expression: v.expression + ref });
      } else if (v.kind === "each") {
        return pickSource(row, segments, value);
      } else {
        setValue(row.id, { kind: "path", path });
        setActive(null);
      }
      setNotice(`${row.name || "The field"} ← ${path}`);
      return;
    }
    if (active.part === "source") return pickSource(row, segments, value);
    if (v.kind !== "each") return;
    const field = v.fields.find((f) => f.id === active.itemId);
    if (!field) return;
    const relative = relativeToItem(segments, v.source);
    let next: ItemValue | null = null;
    if (field.value.kind === "formula") {
      const ref = relative ? jsonataPathOf(relative, "$item") : jsonataPathOf(segments);
      if (active.insert) return active.insert(ref);
      next = { kind: "formula", expression: field.value.expression + ref };
    } else if (relative) {
      next = { kind: "item", path: relative };
      setActive(null);
    } else {
      return setNotice(`Pick a field inside an item of ${jsonPathOf(v.source) || "the list"}.`);
    }
    const fields = v.fields.map((f) => (f.id === field.id ? { ...f, value: next } : f));
    setValue(row.id, { ...v, fields });
    setNotice(`${field.name || "The item field"} ← ${path}`);
  }

  function pickSource(row: FieldRow, segments: Segment[], value: unknown) {
    if (!Array.isArray(value)) return setNotice(`${jsonPathOf(segments)} is not a list: pick a list.`);
    setValue(
      row.id,
      row.value.kind === "each" && row.value.fields.length
        ? { ...row.value, source: segments }
        : eachOf(segments, envelope),
    );
    setActive(null);
    setNotice(`${row.name || "The field"}: for each item of ${jsonPathOf(segments)}`);
  }

  function each(segments: Segment[], list: unknown[]) {
    const row = active?.part === "source" ? rows.find((r) => r.id === active.rowId) : undefined;
    if (row) return pickSource(row, segments, list);
    const added = addRow(fieldNameFor(segments), eachOf(segments, envelope));
    setNotice(`Added ${added.name}: for each item of ${jsonPathOf(segments)}`);
  }

  const context: RowContext = {
    active,
    setActive,
    focusTree: () =>
      document.getElementById(treeId)?.querySelector<HTMLButtonElement>("button:not([aria-expanded])")?.focus(),
    eventFields,
    secretNames,
    fallbackArg: lastPicked,
    sample: envelope,
    stale,
  };
  const incomplete = Object.keys(problems).length;

  return (
    <div className="grid gap-4 2xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <section aria-labelledby={`${treeId}-title`} className="min-w-0">
        <h3 id={`${treeId}-title`} className="text-xs font-medium tracking-wide text-zinc-500 uppercase">
          Sample event
        </h3>
        <p className="mb-1.5 text-xs text-zinc-500">
          {active ? "Click a field to use it in the field being edited." : "Click a field to add it as a target field."}
        </p>
        <div
          id={treeId}
          className="max-h-80 overflow-auto rounded-md bg-zinc-50/70 p-1.5 ring-1 ring-zinc-200 ring-inset"
        >
          <SampleTree
            root={envelope}
            onPick={pick}
            onEach={each}
            onEscape={active ? () => setActive(null) : undefined}
            disabled={readOnly}
          />
        </div>
        <p className="mt-1 min-h-4 text-xs text-zinc-600" role="status" aria-live="polite">
          {notice}
        </p>
      </section>

      <section aria-label="Target fields" className="min-w-0">
        <h3 className="mb-1.5 text-xs font-medium tracking-wide text-zinc-500 uppercase">Target fields</h3>
        {rows.length === 0 ? (
          <p className="rounded-md bg-zinc-50 px-3 py-4 text-center text-sm text-zinc-500 ring-1 ring-zinc-200 ring-inset">
            No fields yet: the body is {"{}"}. Click a field of the sample, or add one.
          </p>
        ) : (
          <ol className="space-y-2">
            {rows.map((row, i) => (
              <FieldRowEditor
                key={row.id}
                row={row}
                index={i}
                count={rows.length}
                result={results.get(fieldKey(namePath(row)))}
                problem={problems[row.id]}
                context={context}
                update={(fn) => updateRow(row.id, fn)}
                remove={() => {
                  if (active?.rowId === row.id) setActive(null);
                  setRows((rs) => rs.filter((r) => r.id !== row.id));
                }}
                move={(delta) =>
                  setRows((rs) => {
                    const next = [...rs];
                    const [moved] = next.splice(i, 1);
                    if (moved) next.splice(i + delta, 0, moved);
                    return next;
                  })
                }
              />
            ))}
          </ol>
        )}
        <div className="mt-2 flex flex-wrap items-center gap-3">
          {!readOnly ? (
            <Button
              size="sm"
              onClick={() => {
                setActive(null);
                addRow("", { kind: "fixed", value: "" });
              }}
            >
              Add field
            </Button>
          ) : null}
          {incomplete ? (
            <span className="text-xs text-amber-700">
              {incomplete === 1 ? "1 field is" : `${incomplete} fields are`} not complete and not sent yet.
            </span>
          ) : null}
        </div>
      </section>
    </div>
  );
}
