"use client";

import { cn } from "@/components/ui";
import type { FieldResult } from "../use-connector-preview";
import { typeOf } from "./json-path";

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? "";
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** A row's live result for the sample: its value and type, or its own problem, error or warnings. */
export function FieldResultLine({
  result,
  problem,
  stale,
  id,
}: {
  result: FieldResult | undefined;
  problem: string | undefined;
  stale: boolean;
  id: string;
}) {
  if (problem) {
    return (
      <p id={id} className="text-xs text-amber-700" role="status">
        {problem}
      </p>
    );
  }
  if (!result) {
    return (
      <p id={id} className="text-xs text-zinc-400">
        {stale ? "Rendering…" : "No result yet"}
      </p>
    );
  }
  return (
    <div id={id} className={cn("space-y-0.5 text-xs", stale && "opacity-60")} aria-live="polite">
      {result.error ? (
        <p className="text-red-600" role="alert">
          {result.error}
        </p>
      ) : result.value === undefined ? (
        <p className="text-zinc-500">Gives no value: the field is left out.</p>
      ) : (
        <p className="flex min-w-0 items-baseline gap-2">
          <span className="text-zinc-400">=</span>
          <code className="min-w-0 truncate font-mono text-zinc-800" data-testid="field-result">
            {shown(result.value)}
          </code>
          <span className="shrink-0 rounded bg-zinc-100 px-1 text-[10px] text-zinc-500">{typeOf(result.value)}</span>
        </p>
      )}
      {result.warnings.map((w) => (
        <p key={w} className="text-amber-700">
          ⚠ {w}
        </p>
      ))}
    </div>
  );
}
