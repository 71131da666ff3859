"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { cn } from "./cn";

/**
 * A modal on the native <dialog> element: focus moves inside, Escape closes, the page behind is inert.
 * `side="right"` makes it a drawer.
 */
function Modal({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  side,
  className,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  side?: "right";
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  if (!open) return null;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes; the keyboard closes with Escape (native cancel)
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      className={cn(
        "bg-white p-0 text-zinc-900 shadow-2xl ring-1 ring-zinc-900/10",
        side === "right"
          ? "ib-slide-in fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-dvh w-full max-w-2xl"
          : "ib-pop m-auto w-[calc(100%-2rem)] max-w-lg rounded-xl",
        className,
      )}
    >
      <div className={cn("flex flex-col", side === "right" ? "h-full" : "max-h-[85dvh]")}>
        <div className="flex items-start justify-between gap-4 border-b border-zinc-200 px-5 py-4">
          <div className="min-w-0">
            <h2 id={titleId} className="text-base font-semibold text-zinc-900">
              {title}
            </h2>
            {description ? <div className="mt-0.5 text-sm text-zinc-500">{description}</div> : null}
          </div>
          <button
            type="button"
            onClick={onClose}
            className="-m-1 rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
            aria-label="Close"
          >
            <svg viewBox="0 0 20 20" className="size-5" fill="currentColor" aria-hidden>
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
        {footer ? (
          <div className="flex justify-end gap-2 border-t border-zinc-200 bg-zinc-50 px-5 py-3">{footer}</div>
        ) : null}
      </div>
    </dialog>
  );
}

export function Dialog(props: Omit<Parameters<typeof Modal>[0], "side">) {
  return <Modal {...props} />;
}

export function Drawer(props: Omit<Parameters<typeof Modal>[0], "side">) {
  return <Modal {...props} side="right" />;
}
