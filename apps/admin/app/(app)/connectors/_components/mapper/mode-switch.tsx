"use client";

import type { KeyboardEvent } from "react";
import { cn } from "@/components/ui";
import type { MapperMode } from "./use-visual-mapping";

/**
 * Visual ⇄ JSON: two toggle buttons, the pressed one is the mode shown. They are spans with the button
 * role, not <button>s: the editor puts a read-only user's form in a disabled <fieldset>, which would disable
 * them too, and a viewer may still switch how the mapping is shown.
 */
export function ModeSwitch({ mode, onChange }: { mode: MapperMode; onChange: (mode: MapperMode) => void }) {
  const key = (m: MapperMode) => (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onChange(m);
    }
  };
  return (
    <div className="inline-flex shrink-0 rounded-md bg-zinc-100 p-0.5">
      {(["visual", "json"] as const).map((m) => (
        // biome-ignore lint/a11y/useSemanticElements: a <button> would be disabled by the read-only form's fieldset (see above)
        <span
          key={m}
          role="button"
          tabIndex={0}
          aria-pressed={mode === m}
          onClick={() => onChange(m)}
          onKeyDown={key(m)}
          className={cn(
            "cursor-pointer rounded px-3 py-1 text-xs font-medium select-none",
            "focus-visible:outline-2 focus-visible:outline-accent-500",
            mode === m ? "bg-white text-zinc-900 shadow-xs" : "text-zinc-600 hover:text-zinc-900",
          )}
        >
          {m === "visual" ? "Visual" : "JSON"}
        </span>
      ))}
    </div>
  );
}
