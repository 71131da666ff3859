"use client";

import { Button, Input } from "@/components/ui";
import { newRow, type Row } from "./draft";

/** Editable name/value rows (headers, query parameters); each row keeps its own id so focus survives edits. */
export function KeyValueRows({
  legend,
  idPrefix,
  rows,
  onChange,
  keyPlaceholder,
  valuePlaceholder,
  error,
  readOnly,
}: {
  readOnly?: boolean;
  legend: string;
  idPrefix: string;
  rows: Row[];
  onChange: (rows: Row[]) => void;
  keyPlaceholder: string;
  valuePlaceholder: string;
  error?: string;
}) {
  const update = (rid: number, patch: Partial<Row>) =>
    onChange(rows.map((r) => (r.rid === rid ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend className="mb-1.5 text-[13px] font-medium text-zinc-700">{legend}</legend>
      <div className="space-y-2">
        {rows.map((r, i) => (
          <div key={r.rid} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-2">
            <label htmlFor={`${idPrefix}-key-${r.rid}`} className="sr-only">
              {legend} {i + 1} name
            </label>
            <Input
              id={`${idPrefix}-key-${r.rid}`}
              value={r.key}
              placeholder={keyPlaceholder}
              onChange={(e) => update(r.rid, { key: e.target.value })}
              className="font-mono text-[13px]"
            />
            <label htmlFor={`${idPrefix}-value-${r.rid}`} className="sr-only">
              {legend} {i + 1} value
            </label>
            <Input
              id={`${idPrefix}-value-${r.rid}`}
              value={r.value}
              placeholder={valuePlaceholder}
              onChange={(e) => update(r.rid, { value: e.target.value })}
              className="font-mono text-[13px]"
            />
            <Button
              variant="ghost"
              hidden={readOnly}
              onClick={() => onChange(rows.filter((x) => x.rid !== r.rid))}
              aria-label={`Remove ${legend.toLowerCase()} ${r.key || i + 1}`}
              className="px-2 text-zinc-400 hover:text-zinc-700"
            >
              <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden>
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </Button>
          </div>
        ))}
        {readOnly && rows.length === 0 ? <p className="text-sm text-zinc-400">None</p> : null}
        <Button
          size="sm"
          variant="ghost"
          hidden={readOnly}
          onClick={() => onChange([...rows, newRow()])}
          className="text-accent-700"
        >
          + Add {legend === "Headers" ? "header" : "parameter"}
        </Button>
        {error ? <p className="text-xs text-red-600">{error}</p> : null}
      </div>
    </fieldset>
  );
}
