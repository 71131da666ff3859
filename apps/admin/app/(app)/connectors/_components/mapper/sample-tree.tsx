"use client";

import { useState } from "react";
import { cn } from "@/components/ui";
import { jsonPathOf, type Segment, typeOf } from "./json-path";

const MAX_NODES = 400;
const MAX_ITEMS = 20;

function short(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? "" : "s"}`;
  if (value !== null && typeof value === "object") return `${Object.keys(value).length} fields`;
  const text = JSON.stringify(value) ?? "";
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/**
 * The sample event as a tree: every node is a button named by its JSONPath, its value and its type, so a
 * click (or Enter / Space) picks it — a new target field, or the value of the field being edited.
 * Objects and lists fold. Lists also offer "For each item".
 */
export function SampleTree({
  root,
  onPick,
  onEach,
  onEscape,
  disabled,
}: {
  root: unknown;
  onPick: (segments: Segment[], value: unknown) => void;
  onEach: (segments: Segment[], value: unknown[]) => void;
  /** Escape on a node: stop filling the field being edited. */
  onEscape?: () => void;
  disabled?: boolean;
}) {
  const [folded, setFolded] = useState<Set<string>>(() => new Set());
  let budget = MAX_NODES;

  const node = (key: string, segments: Segment[], value: unknown, depth: number) => {
    if (--budget < 0) return null;
    const path = jsonPathOf(segments);
    const isList = Array.isArray(value);
    const isObject = value !== null && typeof value === "object";
    const open = !folded.has(path);
    const entries: Array<[string, Segment, unknown]> = isList
      ? (value as unknown[]).slice(0, MAX_ITEMS).map((v, i) => [`[${i}]`, i, v])
      : isObject
        ? Object.keys(value as object).map((k) => [k, k, (value as Record<string, unknown>)[k]])
        : [];
    const type = typeOf(value);
    return (
      <li key={path}>
        <div className="flex items-center gap-1" style={{ paddingLeft: `${depth * 0.875}rem` }}>
          {isObject ? (
            <button
              type="button"
              className="size-5 shrink-0 rounded text-xs text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
              aria-expanded={open}
              aria-label={`${open ? "Fold" : "Unfold"} ${path}`}
              onClick={() =>
                setFolded((f) => {
                  const next = new Set(f);
                  if (open) next.add(path);
                  else next.delete(path);
                  return next;
                })
              }
            >
              {open ? "▾" : "▸"}
            </button>
          ) : (
            <span className="size-5 shrink-0" aria-hidden />
          )}
          <button
            type="button"
            disabled={disabled}
            onClick={() => onPick(segments, value)}
            onKeyDown={(e) => {
              if (e.key === "Escape" && onEscape) {
                e.stopPropagation();
                onEscape();
              }
            }}
            aria-label={`${path} ${isObject ? short(value) : JSON.stringify(value)} (${type})`}
            title={`${path} — click to map`}
            className={cn(
              "group flex min-w-0 flex-1 items-baseline gap-2 rounded px-1.5 py-0.5 text-left text-xs",
              "hover:bg-accent-50 focus-visible:bg-accent-50 focus-visible:outline-2 focus-visible:outline-accent-500",
              "disabled:cursor-default disabled:hover:bg-transparent",
            )}
          >
            <span className="shrink-0 font-mono font-medium text-zinc-800">{key}</span>
            <span className={cn("min-w-0 truncate font-mono", isObject ? "text-zinc-400" : "text-zinc-600")}>
              {short(value)}
            </span>
            <span className="ml-auto shrink-0 rounded bg-zinc-100 px-1 text-[10px] text-zinc-500">{type}</span>
          </button>
          {isList && !disabled ? (
            <button
              type="button"
              onClick={() => onEach(segments, value as unknown[])}
              className="shrink-0 rounded px-1.5 py-0.5 text-[11px] text-accent-700 hover:bg-accent-50"
              aria-label={`For each item of ${path}`}
            >
              For each
            </button>
          ) : null}
        </div>
        {isObject && open && entries.length ? (
          <ul>
            {entries.map(([label, seg, child]) => node(label, [...segments, seg], child, depth + 1))}
            {isList && (value as unknown[]).length > MAX_ITEMS ? (
              <li className="py-0.5 text-xs text-zinc-400" style={{ paddingLeft: `${(depth + 2) * 0.875}rem` }}>
                …and {(value as unknown[]).length - MAX_ITEMS} more items
              </li>
            ) : null}
          </ul>
        ) : null}
      </li>
    );
  };

  const top = root !== null && typeof root === "object" && !Array.isArray(root) ? Object.keys(root as object) : [];
  return (
    <ul aria-label="Sample event fields" className="space-y-px">
      {top.map((k) => node(k, [k], (root as Record<string, unknown>)[k], 0))}
      {budget < 0 ? (
        <li className="text-xs text-zinc-400">The sample is large: only its first part is shown.</li>
      ) : null}
    </ul>
  );
}
