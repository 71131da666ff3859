"use client";

import { useState } from "react";

/** An id shown small, whole on hover, copied with one click (names are what the tables lead with). */
export function CopyId({ id, label = "id" }: { id: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="inline-flex max-w-full min-w-0 items-center gap-1">
      <span className="truncate font-mono text-[11px] text-slate-400" title={id}>
        {id}
      </span>
      <button
        type="button"
        aria-label={`Copy ${label} ${id}`}
        title={copied ? "Copied" : `Copy ${label}`}
        onClick={(event) => {
          event.stopPropagation();
          navigator.clipboard?.writeText(id).then(
            () => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            },
            () => undefined,
          );
        }}
        className="shrink-0 rounded p-0.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
      >
        {copied ? (
          <svg viewBox="0 0 24 24" className="size-3" fill="none" stroke="currentColor" strokeWidth="2.4" aria-hidden>
            <path d="M20 6 9 17l-5-5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        ) : (
          <svg viewBox="0 0 24 24" className="size-3" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
            <rect x="9" y="9" width="11" height="11" rx="2" />
            <path d="M5 15V5a2 2 0 0 1 2-2h10" strokeLinecap="round" />
          </svg>
        )}
      </button>
    </span>
  );
}
