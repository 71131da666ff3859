import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/session";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const safeNext = next?.startsWith("/") && !next.startsWith("//") ? next : "/connectors";
  if (await currentUser().catch(() => null)) redirect(safeNext);
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-2.5">
          <Logo />
          <span className="text-[15px] font-semibold tracking-tight">Integration Builder</span>
        </div>
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
          <h1 className="text-lg font-semibold tracking-tight">Sign in</h1>
          <p className="mt-1 mb-5 text-sm text-zinc-500">
            Use an engine API token. An admin token can edit; a viewer token sees everything read-only.
          </p>
          <SignInForm next={safeNext} />
        </div>
        <p className="mt-6 text-center text-xs text-zinc-500">
          The first admin token is printed by <code className="font-mono">npm start</code> and kept in{" "}
          <code className="font-mono">.data/engine/admin-token</code>.
        </p>
      </div>
    </main>
  );
}

function Logo() {
  return (
    <span className="flex size-7 items-center justify-center rounded-lg bg-accent-600 text-white shadow-sm" aria-hidden>
      <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden>
        <path d="M5 12h5m4 0h5M10 12a2 2 0 1 0 4 0 2 2 0 0 0-4 0ZM3 12a2 2 0 1 0 4 0M17 12a2 2 0 1 0 4 0" />
      </svg>
    </span>
  );
}
