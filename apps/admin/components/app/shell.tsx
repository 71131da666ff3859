"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { Badge, cn } from "@/components/ui";
import { api } from "@/lib/api";
import type { Permission } from "@/lib/engine-types";
import { useMe } from "./session";
import { useHydrated } from "./use-hydrated";

const NAV: Array<{ href: string; label: string; permission?: Permission; icon: ReactNode }> = [
  {
    href: "/connectors",
    label: "Connectors",
    icon: <path d="M8 7h8M8 12h8m-8 5h5M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Z" />,
  },
  {
    href: "/events",
    label: "Events",
    icon: <path d="M13 3 4 14h7l-1 7 9-11h-7l1-7Z" />,
  },
  {
    href: "/catalog",
    label: "Catalog",
    permission: "events.read",
    icon: (
      <path d="M5 4.5A1.5 1.5 0 0 1 6.5 3H19v15H6.5A1.5 1.5 0 0 0 5 19.5v-15Zm0 15A1.5 1.5 0 0 0 6.5 21H19v-3M9 7h6m-6 3.5h4" />
    ),
  },
  {
    href: "/reconciliation",
    label: "Reconciliation",
    permission: "deliveries.read",
    icon: <path d="M12 3v18m-7-14h14M5 7l-3 7a3 3 0 0 0 6 0L5 7Zm14 0-3 7a3 3 0 0 0 6 0l-3-7ZM8 21h8" />,
  },
  {
    href: "/presets",
    label: "Presets",
    icon: <path d="M4 5h7v7H4zM13 5h7v7h-7zM4 14h7v6H4zM13 14h7v6h-7z" />,
  },
  {
    href: "/sources",
    label: "Inbound sources",
    permission: "sources.read",
    icon: <path d="M12 3v12m0 0-4-4m4 4 4-4M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />,
  },
  {
    href: "/registry",
    label: "Registry",
    permission: "registry.read",
    icon: (
      <path d="M3 12a9 9 0 1 0 18 0 9 9 0 0 0-18 0Zm0 0h18M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9S9.5 5.5 12 3Z" />
    ),
  },
  {
    href: "/audit",
    label: "Audit log",
    permission: "audit.read",
    icon: <path d="M9 4h6l1 2h3v15H5V6h3l1-2Zm-1 8h8m-8 4h5" />,
  },
  {
    href: "/tokens",
    label: "API tokens",
    permission: "tokens.manage",
    icon: <path d="M15 7a4 4 0 1 1-3.9 4.9L4 19v-3h2v-2h2l2.1-2.1A4 4 0 0 1 15 7Zm1 3h.01" />,
  },
];

export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const pathname = usePathname();
  const router = useRouter();
  const items = NAV.filter((n) => !n.permission || me.permissions.includes(n.permission));
  // Below lg the navigation is a menu the top bar opens (nine links do not fit a phone's width, and a strip
  // scrolling sideways hides most of them); following a link closes it.
  const [menuOpen, setMenuOpen] = useState(false);
  const hydrated = useHydrated();

  async function signOut() {
    await api.session.signOut().catch(() => undefined);
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[232px_1fr]">
      <aside className="sticky top-0 z-30 flex flex-col border-b border-zinc-200 bg-white lg:h-dvh lg:border-r lg:border-b-0">
        <div className="flex items-center justify-between gap-2 px-4 py-3 lg:py-4">
          <Link href="/connectors" className="flex items-center gap-2.5 rounded-md">
            <span
              className="flex size-7 items-center justify-center rounded-lg bg-accent-600 text-white shadow-sm"
              aria-hidden
            >
              <svg
                viewBox="0 0 24 24"
                className="size-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="2.2"
                aria-hidden
              >
                <path d="M5 12h5m4 0h5M10 12a2 2 0 1 0 4 0 2 2 0 0 0-4 0ZM3 12a2 2 0 1 0 4 0M17 12a2 2 0 1 0 4 0" />
              </svg>
            </span>
            <span className="text-[15px] font-semibold tracking-tight">Integration Builder</span>
          </Link>
          <div className="flex items-center gap-1 lg:hidden">
            <button
              type="button"
              onClick={signOut}
              className="rounded-md px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100"
            >
              Sign out
            </button>
            <button
              type="button"
              onClick={() => setMenuOpen((open) => !open)}
              aria-expanded={menuOpen}
              aria-controls="main-nav"
              className="flex items-center gap-1.5 rounded-md border border-zinc-200 px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-50"
            >
              <svg
                viewBox="0 0 24 24"
                className="size-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
                aria-hidden
              >
                <path d={menuOpen ? "M6 6l12 12M18 6 6 18" : "M4 7h16M4 12h16M4 17h16"} />
              </svg>
              Menu
            </button>
          </div>
        </div>
        <nav
          id="main-nav"
          aria-label="Main"
          className={cn(
            "grid-cols-2 gap-1 border-t border-zinc-100 px-3 py-2 sm:grid-cols-3",
            "lg:flex lg:flex-col lg:border-t-0 lg:py-0",
            menuOpen ? "grid" : "hidden",
          )}
        >
          {items.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                onClick={() => setMenuOpen(false)}
                className={cn(
                  "flex min-w-0 items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors",
                  active ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900",
                )}
              >
                <svg
                  viewBox="0 0 24 24"
                  className={cn("size-4", active ? "text-accent-600" : "text-zinc-400")}
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.8"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                  aria-hidden
                >
                  {item.icon}
                </svg>
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="mt-auto hidden border-t border-zinc-200 p-3 lg:block">
          <div className="flex items-center gap-2.5 px-1">
            <span className="flex size-8 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold text-zinc-600 uppercase">
              {me.name.slice(0, 2)}
            </span>
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium text-zinc-800" title={me.name}>
                {me.name}
              </p>
              <Badge tone={me.role === "admin" ? "accent" : "neutral"} className="mt-0.5">
                {me.role}
              </Badge>
            </div>
          </div>
          <button
            type="button"
            onClick={signOut}
            className="mt-3 w-full rounded-md px-2.5 py-1.5 text-left text-sm font-medium text-zinc-600 hover:bg-zinc-100"
          >
            Sign out
          </button>
        </div>
      </aside>
      <main className="min-w-0">
        {!me.permissions.includes("connectors.write") ? (
          <div className="border-b border-amber-200 bg-amber-50 px-6 py-2 text-xs text-amber-800">
            Read-only: you are signed in as <strong>{me.role}</strong>. Editing needs an admin token.
          </div>
        ) : null}
        {/* Every control of the page stays disabled until it is hydrated: typed into earlier, a field looked
            filled while the draft behind it stayed empty (a connector then refused for a missing name). */}
        <fieldset disabled={!hydrated} className="m-0 min-w-0 border-0 p-0">
          <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">{children}</div>
        </fieldset>
      </main>
    </div>
  );
}
