"use client";

import type { KeyboardEvent, ReactNode } from "react";
import { cn } from "./cn";

export interface TabItem {
  id: string;
  label: ReactNode;
}

/** WAI-ARIA tabs: arrow keys move between tabs; the panel is rendered by the caller. */
export function Tabs({
  items,
  value,
  onChange,
  idPrefix,
}: {
  items: TabItem[];
  value: string;
  onChange: (id: string) => void;
  idPrefix: string;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = items.findIndex((t) => t.id === value);
    let next = index;
    if (e.key === "ArrowRight") next = (index + 1) % items.length;
    else if (e.key === "ArrowLeft") next = (index - 1 + items.length) % items.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    else return;
    e.preventDefault();
    const id = items[next]?.id;
    if (id) {
      onChange(id);
      document.getElementById(`${idPrefix}-tab-${id}`)?.focus();
    }
  };
  return (
    <div
      role="tablist"
      className="-mb-px flex gap-1 overflow-x-auto border-b border-zinc-200"
      onKeyDown={onKeyDown}
      tabIndex={-1}
    >
      {items.map((item) => {
        const selected = item.id === value;
        return (
          <button
            key={item.id}
            id={`${idPrefix}-tab-${item.id}`}
            type="button"
            role="tab"
            aria-selected={selected}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(item.id)}
            className={cn(
              "flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors",
              selected
                ? "border-accent-600 text-zinc-900"
                : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800",
            )}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
