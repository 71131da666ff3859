"use client";

import Link from "next/link";
import { useState } from "react";
import { cn } from "@/components/ui";

/**
 * A thing by its name, its id one hover (title) or one click (copy) away; the id itself when there is
 * no name. Clicks on the copy button stay out of the row around it.
 */
export function NamedId({
  name,
  id,
  href,
  className,
}: {
  name: string | null | undefined;
  id: string;
  /** Where the name leads (the connector's page), if anywhere. */
  href?: string;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);
  const text = cn("truncate", name ? "text-zinc-900" : "font-mono text-xs text-zinc-600");
  const title = name ? `${name} (${id})` : id;
  return (
    <span className={cn("group inline-flex max-w-full min-w-0 items-center gap-1", className)} data-testid="named-id">
      {href ? (
        <Link href={href} className={cn(text, "text-accent-700 hover:underline")} title={title}>
          {name || id}
        </Link>
      ) : (
        <span className={text} title={title}>
          {name || id}
        </span>
      )}
      <button
        type="button"
        aria-label={`Copy id ${id}`}
        title={copied ? "Copied" : "Copy id"}
        onClick={async (e) => {
          e.stopPropagation();
          try {
            await navigator.clipboard.writeText(id);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          } catch {
            // Clipboard refused (insecure context): the id is in the title.
          }
        }}
        onKeyDown={(e) => e.stopPropagation()}
        className="shrink-0 rounded p-0.5 text-zinc-400 opacity-60 group-hover:opacity-100 hover:bg-zinc-100 hover:text-zinc-700 focus-visible:opacity-100"
      >
        <svg viewBox="0 0 24 24" className="size-3" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          {copied ? (
            <path d="M20 6 9 17l-5-5" strokeLinecap="round" strokeLinejoin="round" />
          ) : (
            <>
              <rect x="9" y="9" width="11" height="11" rx="2" />
              <path d="M5 15V5a2 2 0 0 1 2-2h10" strokeLinecap="round" />
            </>
          )}
        </svg>
      </button>
    </span>
  );
}
