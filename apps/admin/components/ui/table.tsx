"use client";

import {
  type HTMLAttributes,
  type ReactNode,
  type TdHTMLAttributes,
  type ThHTMLAttributes,
  useEffect,
  useRef,
} from "react";
import { cn } from "./cn";

/** A header's text as people see it (an sr-only header, like "Actions", labels nothing). */
function visibleText(th: HTMLTableCellElement): string {
  if (th.dataset.label !== undefined) return th.dataset.label;
  const copy = th.cloneNode(true) as HTMLElement;
  for (const hidden of copy.querySelectorAll(".sr-only")) hidden.remove();
  return copy.textContent?.trim() ?? "";
}

/** Give every body cell its column's header as `data-label`, which the phone layout shows above the value. */
function labelCells(table: HTMLTableElement) {
  const headRow = table.tHead?.rows[0];
  if (!headRow) return;
  const labels: string[] = [];
  for (const th of headRow.cells) for (let i = 0; i < th.colSpan; i++) labels.push(i === 0 ? visibleText(th) : "");
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const label = cell.colSpan === 1 ? labels[column] : undefined;
        if (label && cell.dataset.label !== label) cell.dataset.label = label;
        else if (!label && cell.dataset.label !== undefined) delete cell.dataset.label;
        column += cell.colSpan;
      }
    }
  }
}

/**
 * A data table. On a phone (below 640 px) each row becomes a card whose cells carry their column's name
 * (`stack={false}` keeps the plain table, scrolled sideways).
 */
export function Table({
  children,
  className,
  stack = true,
}: {
  children: ReactNode;
  className?: string;
  stack?: boolean;
}) {
  const ref = useRef<HTMLTableElement>(null);
  useEffect(() => {
    const table = ref.current;
    if (!table || !stack) return;
    labelCells(table);
    // Rows come and go (paging, polling); label the new ones. Only the cells' attributes change here,
    // which a childList observer does not see, so this never loops.
    const observer = new MutationObserver(() => labelCells(table));
    observer.observe(table, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [stack]);
  return (
    <div className={cn("relative overflow-x-auto rounded-lg bg-white ring-1 ring-zinc-200", className)}>
      <table ref={ref} className={cn("w-full border-collapse text-left text-sm", stack && "ib-stack")}>
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="border-b border-zinc-200 bg-zinc-50/80 text-xs font-medium text-zinc-500">{children}</thead>;
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn("px-3 py-2 font-medium whitespace-nowrap", className)} {...props} />;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-zinc-100">{children}</tbody>;
}

export function Tr({
  className,
  interactive,
  ...props
}: HTMLAttributes<HTMLTableRowElement> & { interactive?: boolean }) {
  return (
    <tr
      className={cn(interactive && "cursor-pointer hover:bg-zinc-50 focus-visible:bg-accent-50", className)}
      {...props}
    />
  );
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-3 py-2.5 align-middle text-zinc-700", className)} {...props} />;
}
