"use client";

import { useState } from "react";
import { cn } from "@/components/ui";

export function CopyButton({ value, dark, label = "Copy" }: { value: string; dark?: boolean; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          // Clipboard refused (insecure context): the value stays selectable on screen.
        }
      }}
      className={cn(
        "shrink-0 rounded-md px-2 py-1 text-xs font-medium",
        dark ? "bg-white/10 text-white hover:bg-white/20" : "bg-zinc-100 text-zinc-700 hover:bg-zinc-200",
      )}
    >
      {copied ? "Copied" : label}
    </button>
  );
}
