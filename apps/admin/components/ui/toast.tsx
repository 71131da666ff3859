"use client";

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { cn } from "./cn";

type ToastTone = "success" | "error" | "info";
/** A button in the toast (e.g. Undo); clicking it also dismisses the toast. */
export interface ToastAction {
  label: string;
  onClick: () => void;
}
interface ToastItem {
  id: number;
  tone: ToastTone;
  title: string;
  description?: string;
  action?: ToastAction;
}

const ToastContext = createContext<((t: Omit<ToastItem, "id">) => void) | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (t: Omit<ToastItem, "id">) => {
      const id = Date.now() + Math.random();
      setItems((all) => [...all.slice(-3), { ...t, id }]);
      // Errors and toasts with an action (Undo) stay longer: there is something to read or do.
      setTimeout(() => dismiss(id), t.tone === "error" || t.action ? 8000 : 4500);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div
        aria-live="polite"
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2"
      >
        {items.map((t) => (
          <div
            key={t.id}
            role={t.tone === "error" ? "alert" : "status"}
            className="ib-pop pointer-events-auto flex items-start gap-3 rounded-lg bg-zinc-900 px-4 py-3 text-sm text-white shadow-lg"
          >
            <span
              className={cn(
                "mt-1.5 size-2 shrink-0 rounded-full",
                t.tone === "success" ? "bg-emerald-400" : t.tone === "error" ? "bg-red-400" : "bg-accent-200",
              )}
              aria-hidden
            />
            <div className="min-w-0 flex-1">
              <p className="font-medium">{t.title}</p>
              {t.description ? <p className="mt-0.5 break-words text-zinc-300">{t.description}</p> : null}
            </div>
            {t.action ? (
              <button
                type="button"
                className="shrink-0 rounded px-1.5 py-0.5 font-medium text-accent-200 hover:bg-white/10 hover:text-white"
                onClick={() => {
                  dismiss(t.id);
                  t.action?.onClick();
                }}
              >
                {t.action.label}
              </button>
            ) : null}
            <button
              type="button"
              className="text-zinc-400 hover:text-white"
              onClick={() => dismiss(t.id)}
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const push = useContext(ToastContext);
  if (!push) throw new Error("useToast outside ToastProvider");
  return useMemo(
    () => ({
      success: (title: string, description?: string, action?: ToastAction) =>
        push({ tone: "success", title, description, action }),
      error: (title: string, description?: string) => push({ tone: "error", title, description }),
      info: (title: string, description?: string, action?: ToastAction) =>
        push({ tone: "info", title, description, action }),
    }),
    [push],
  );
}
