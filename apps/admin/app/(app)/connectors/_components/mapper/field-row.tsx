"use client";

import { Button, cn, Input, Select } from "@/components/ui";
import type { FieldResult } from "../use-connector-preview";
import { convertValue, KINDS } from "./convert";
import { EachEditor } from "./each-editor";
import { FieldResultLine } from "./field-result";
import type { FieldRow, RowValue, ValueKind } from "./mapping-rows";
import { isTarget, type SetTarget, type Target } from "./target";
import { FixedValue, FormulaValue, PathValue, TextValue } from "./value-editors";

export interface RowContext {
  active: Target | null;
  setActive: SetTarget;
  /** Move focus to the sample tree (keyboard users pick a field there). */
  focusTree: () => void;
  eventFields: string[];
  secretNames: string[];
  fallbackArg: string;
  sample: unknown;
  stale: boolean;
}

/** One target field: its name (dots nest), the kind of value, the value's editor and its live result. */
export function FieldRowEditor({
  row,
  index,
  count,
  result,
  problem,
  context,
  update,
  remove,
  move,
}: {
  row: FieldRow;
  index: number;
  count: number;
  result: FieldResult | undefined;
  problem: string | undefined;
  context: RowContext;
  update: (fn: (row: FieldRow) => FieldRow) => void;
  remove: () => void;
  move: (delta: -1 | 1) => void;
}) {
  const { active, setActive } = context;
  const label = row.name || `field ${index + 1}`;
  const valueLabel = `Value of ${label}`;
  const picking = isTarget(active, row.id, "value");
  const setValue = (value: RowValue) => update((r) => ({ ...r, value }));
  const focusValue = (insert?: (text: string) => void) => setActive({ rowId: row.id, part: "value", insert });
  const resultId = `${row.id}-result`;

  return (
    <li
      className={cn(
        "rounded-md p-2.5 ring-1 ring-inset",
        picking || (active?.rowId === row.id && active.part !== "value")
          ? "bg-accent-50/60 ring-accent-400"
          : "ring-zinc-200",
      )}
      data-testid="field-row"
      aria-label={`Target field ${label}`}
    >
      <div className="grid grid-cols-[minmax(0,1fr)_11.5rem_auto] items-center gap-2">
        <Input
          aria-label={`Name of ${label}`}
          value={row.name}
          placeholder="name (dots nest: customer.email)"
          onChange={(e) => update((r) => ({ ...r, name: e.target.value }))}
          onFocus={() => setActive(null)}
          className="h-8 font-mono text-[13px]"
          aria-describedby={resultId}
        />
        <Select
          aria-label={`Kind of ${label}`}
          value={row.value.kind}
          onFocus={() => setActive(null)}
          onChange={(e) => setValue(convertValue(row.value, e.target.value as ValueKind, context.sample))}
          className="h-8 py-0 text-xs"
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </Select>
        <div className="flex items-center">
          <IconButton label={`Move ${label} up`} disabled={index === 0} onClick={() => move(-1)}>
            ↑
          </IconButton>
          <IconButton label={`Move ${label} down`} disabled={index === count - 1} onClick={() => move(1)}>
            ↓
          </IconButton>
          <IconButton label={`Remove ${label}`} onClick={remove}>
            ✕
          </IconButton>
        </div>
      </div>

      <div className="mt-2">
        {row.value.kind === "path" ? (
          <div className="flex gap-2">
            <div className="min-w-0 flex-1">
              <PathValue
                label={valueLabel}
                path={row.value.path}
                onChange={(path) => setValue({ kind: "path", path })}
                onFocus={() => focusValue()}
              />
            </div>
            <Button
              size="sm"
              variant="ghost"
              className="self-center"
              aria-label={`Pick ${label} from the sample`}
              onClick={() => {
                focusValue();
                context.focusTree();
              }}
            >
              Pick
            </Button>
          </div>
        ) : row.value.kind === "text" ? (
          <TextValue
            label={valueLabel}
            template={row.value.template}
            onChange={(template) => setValue({ kind: "text", template })}
            onFocus={focusValue}
            eventFields={context.eventFields}
            secretNames={context.secretNames}
          />
        ) : row.value.kind === "formula" ? (
          <FormulaValue
            label={valueLabel}
            expression={row.value.expression}
            onChange={(expression) =>
              update((r) => ({ ...r, value: r.value.kind === "formula" ? { ...r.value, expression } : r.value }))
            }
            onFocus={focusValue}
            fallbackArg={context.fallbackArg}
          />
        ) : row.value.kind === "fixed" ? (
          <FixedValue
            label={valueLabel}
            value={row.value.value}
            onChange={(value) => setValue({ kind: "fixed", value })}
            onFocus={() => focusValue()}
          />
        ) : (
          <EachEditor rowId={row.id} label={label} spec={row.value} onChange={setValue} context={context} />
        )}
      </div>
      {picking ? (
        <p className="mt-1.5 text-xs text-accent-800">
          Click a field in the sample to{" "}
          {row.value.kind === "text" || row.value.kind === "formula" ? "insert it here" : "use it here"}.{" "}
          <button type="button" className="underline" onClick={() => setActive(null)}>
            Done
          </button>
        </p>
      ) : null}
      <div className="mt-1.5">
        <FieldResultLine id={resultId} result={result} problem={problem} stale={context.stale} />
      </div>
    </li>
  );
}

function IconButton({
  label,
  onClick,
  disabled,
  children,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  children: string;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className="size-7 rounded text-sm text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 disabled:text-zinc-300 disabled:hover:bg-transparent"
    >
      {children}
    </button>
  );
}
