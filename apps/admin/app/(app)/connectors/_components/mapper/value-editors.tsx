"use client";

import { useRef, useState } from "react";
import { Button, cn, Input, Select } from "@/components/ui";
import type { Scalar } from "./each-expression";
import { applyFormula, FORMULAS } from "./formulas";

/** Inserts text where the caret is (or at the end) and returns the new value. */
export type Inserter = (text: string) => void;

const MONO = "font-mono text-[13px]";

/** Put `text` into an input's value at its caret, and the caret after it. */
function insertAt(input: HTMLInputElement | null, fallback: string, text: string): string {
  // The input's own value: the inserter may run long after it was handed out, the value typed since.
  const value = input?.value ?? fallback;
  const at = input?.selectionStart ?? value.length;
  const end = input?.selectionEnd ?? at;
  const next = value.slice(0, at) + text + value.slice(end);
  requestAnimationFrame(() => {
    if (!input) return;
    input.focus();
    input.setSelectionRange(at + text.length, at + text.length);
  });
  return next;
}

/** A field from the event: its JSONPath, as a chip that can be typed in. */
export function PathValue({
  label,
  path,
  onChange,
  onFocus,
}: {
  label: string;
  path: string;
  onChange: (path: string) => void;
  onFocus: () => void;
}) {
  return (
    <Input
      aria-label={label}
      value={path}
      placeholder="Click a field in the sample, or type $.payload.…"
      onChange={(e) => onChange(e.target.value)}
      onFocus={onFocus}
      className={cn(MONO, "rounded-full bg-accent-50 text-accent-900 ring-accent-200")}
    />
  );
}

/** Text with fields: a template whose `<<event.…>>` and `<<secret.…>>` show as chips, inserted from menus. */
export function TextValue({
  label,
  template,
  onChange,
  onFocus,
  eventFields,
  secretNames,
}: {
  label: string;
  template: string;
  onChange: (template: string) => void;
  onFocus: (insert: Inserter) => void;
  /** Placeholders of the sample's fields, e.g. `<<event.payload.orderId>>`. */
  eventFields: string[];
  secretNames: string[];
}) {
  const ref = useRef<HTMLInputElement | null>(null);
  const insert: Inserter = (text) => onChange(insertAt(ref.current, template, text));
  const parts = template.split(/(<<[^<>]*>>|\{\{[^{}]*\}\})/).filter((p) => p !== "");
  return (
    <div className="space-y-1.5">
      <Input
        aria-label={label}
        value={template}
        placeholder="Order <<event.payload.orderId>>"
        onChange={(e) => onChange(e.target.value)}
        onFocus={(e) => {
          ref.current = e.currentTarget;
          onFocus(insert);
        }}
        className={MONO}
      />
      {parts.length ? (
        <p className="flex flex-wrap items-center gap-1 text-xs text-zinc-700" aria-hidden>
          {parts.map((p, i) =>
            /^(<<|\{\{)/.test(p) ? (
              <span
                key={i}
                className={cn(
                  "rounded-full px-1.5 py-px font-mono text-[11px]",
                  p.includes("secret.") ? "bg-violet-100 text-violet-800" : "bg-accent-50 text-accent-800",
                )}
              >
                {p.replace(/^(<<|\{\{)|(>>|\}\})$/g, "")}
              </span>
            ) : (
              <span key={i} className="whitespace-pre">
                {p}
              </span>
            ),
          )}
        </p>
      ) : null}
      <div className="grid grid-cols-2 gap-2">
        <InsertMenu
          label={`Insert an event field into ${label.replace(/^Value of /, "")}`}
          title="Insert event field"
          options={eventFields}
          onPick={insert}
        />
        <InsertMenu
          label={`Insert a secret into ${label.replace(/^Value of /, "")}`}
          title="Insert secret"
          options={secretNames.map((n) => `<<secret.${n}>>`)}
          empty="No secrets set yet"
          onPick={insert}
        />
      </div>
    </div>
  );
}

function InsertMenu({
  label,
  title,
  options,
  empty,
  onPick,
}: {
  label: string;
  title: string;
  options: string[];
  empty?: string;
  onPick: (text: string) => void;
}) {
  return (
    <Select
      aria-label={label}
      value=""
      onChange={(e) => {
        if (e.target.value) onPick(e.target.value);
      }}
      className="h-7 py-0 text-xs"
    >
      <option value="">{options.length ? `${title}…` : (empty ?? `${title}…`)}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o.replace(/^<<|>>$/g, "")}
        </option>
      ))}
    </Select>
  );
}

/** A formula (`{% … %}`), with the palette of common tasks. */
export function FormulaValue({
  label,
  expression,
  onChange,
  onFocus,
  fallbackArg,
}: {
  label: string;
  expression: string;
  onChange: (expression: string) => void;
  onFocus: (insert: Inserter) => void;
  /** What a function applies to when the formula is empty (the last sample field picked). */
  fallbackArg: string;
}) {
  const ref = useRef<HTMLInputElement | null>(null);
  const [open, setOpen] = useState(false);
  const insert: Inserter = (text) => onChange(insertAt(ref.current, expression, text));
  return (
    <div className="space-y-1.5">
      <div className="flex items-center gap-1.5">
        <span className={cn(MONO, "text-zinc-400")} aria-hidden>
          {"{%"}
        </span>
        <div className="min-w-0 flex-1">
          <Input
            aria-label={label}
            value={expression}
            placeholder="payload.total / 100"
            onChange={(e) => onChange(e.target.value)}
            onFocus={(e) => {
              ref.current = e.currentTarget;
              onFocus(insert);
            }}
            className={MONO}
            spellCheck={false}
          />
        </div>
        <span className={cn(MONO, "text-zinc-400")} aria-hidden>
          {"%}"}
        </span>
        <Button size="sm" variant="ghost" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          Functions
        </Button>
      </div>
      {open ? (
        <ul
          className="grid gap-1 rounded-md bg-zinc-50 p-1.5 ring-1 ring-zinc-200 sm:grid-cols-2"
          aria-label="Functions"
        >
          {FORMULAS.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                className="w-full rounded px-2 py-1 text-left text-xs hover:bg-white focus-visible:bg-white"
                onClick={() => {
                  onChange(applyFormula(f, expression, fallbackArg));
                  setOpen(false);
                }}
              >
                <span className="font-medium text-zinc-800">{f.label}</span>{" "}
                <span className="text-zinc-500">{f.hint}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type FixedType = "text" | "number" | "boolean" | "null";
const typeOfFixed = (v: Scalar): FixedType =>
  v === null ? "null" : typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "text";

/** A fixed value, typed: text, number, true/false or null. */
export function FixedValue({
  label,
  value,
  onChange,
  onFocus,
}: {
  label: string;
  value: Scalar;
  onChange: (value: Scalar) => void;
  onFocus: () => void;
}) {
  const type = typeOfFixed(value);
  // A number is kept as typed until it parses ("12." on the way to "12.5").
  const [numberText, setNumberText] = useState(typeof value === "number" ? String(value) : "");
  const shownNumber = typeof value === "number" && Number(numberText) !== value ? String(value) : numberText;
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2">
      <Select
        aria-label={`Type for ${label.replace(/^Value of /, "")}`}
        value={type}
        onFocus={onFocus}
        onChange={(e) => {
          const next = e.target.value as FixedType;
          if (next === "null") onChange(null);
          else if (next === "boolean") onChange(value === "false" ? false : Boolean(value));
          else if (next === "number") {
            const n = Number(value);
            setNumberText(Number.isFinite(n) ? String(n) : "0");
            onChange(Number.isFinite(n) ? n : 0);
          } else onChange(value === null ? "" : String(value));
        }}
      >
        <option value="text">Text</option>
        <option value="number">Number</option>
        <option value="boolean">True / false</option>
        <option value="null">Null</option>
      </Select>
      {type === "text" ? (
        <Input
          aria-label={label}
          value={value as string}
          onChange={(e) => onChange(e.target.value)}
          onFocus={onFocus}
        />
      ) : type === "number" ? (
        <Input
          aria-label={label}
          inputMode="decimal"
          value={shownNumber}
          onFocus={onFocus}
          onChange={(e) => {
            setNumberText(e.target.value);
            const n = Number(e.target.value);
            if (e.target.value.trim() !== "" && Number.isFinite(n)) onChange(n);
          }}
          aria-invalid={shownNumber.trim() === "" || !Number.isFinite(Number(shownNumber))}
          className={MONO}
        />
      ) : type === "boolean" ? (
        <Select
          aria-label={label}
          value={String(value)}
          onFocus={onFocus}
          onChange={(e) => onChange(e.target.value === "true")}
        >
          <option value="true">true</option>
          <option value="false">false</option>
        </Select>
      ) : (
        <span className="self-center text-xs text-zinc-500">Sends null.</span>
      )}
    </div>
  );
}
