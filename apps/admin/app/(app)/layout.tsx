import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { SessionProvider } from "@/components/app/session";
import { Shell } from "@/components/app/shell";
import { ApiError } from "@/lib/engine";
import type { Me } from "@/lib/engine-types";
import { env } from "@/lib/env";
import { currentUser } from "@/lib/session";

export default async function AppLayout({ children }: { children: ReactNode }) {
  let me: Me | null;
  try {
    me = await currentUser();
  } catch (error) {
    // The engine is down or starting: say so plainly instead of a generic error page.
    const message = error instanceof ApiError ? error.message : String(error);
    return (
      <main className="flex min-h-dvh items-center justify-center px-4">
        <div role="alert" className="max-w-md rounded-xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
          <h1 className="text-lg font-semibold">The engine is not reachable</h1>
          <p className="mt-2 text-sm text-zinc-600">
            The admin could not reach the engine at <code className="font-mono">{env.ENGINE_URL}</code>. If it is
            starting, wait a moment and reload.
          </p>
          <p className="mt-2 font-mono text-xs break-words text-zinc-400">{message}</p>
          <a
            href="/connectors"
            className="mt-4 inline-flex h-9 items-center rounded-md bg-accent-600 px-3.5 text-sm font-medium text-white hover:bg-accent-700"
          >
            Reload
          </a>
        </div>
      </main>
    );
  }
  if (!me) redirect("/sign-in");
  return (
    <SessionProvider me={me}>
      <Shell>{children}</Shell>
    </SessionProvider>
  );
}
