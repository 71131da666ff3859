import type { ReactNode } from "react";

/** The heading of one card of the connector editor. */
export function SectionTitle({ title, hint }: { title: string; hint?: ReactNode }) {
  return (
    <div className="mb-3">
      <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
      {hint ? (
        <p className="mt-0.5 text-xs leading-relaxed text-zinc-500 [&_code]:font-mono [&_code]:text-zinc-700">{hint}</p>
      ) : null}
    </div>
  );
}
