import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { env } from "../../../server/env.ts";
import { dashboardAccess } from "../../../server/viewer.ts";
import { BrandMark } from "../../_components/brand.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · Integration Builder control plane" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const access = dashboardAccess(env());
  if (access === "public") redirect("/integration-builder");
  const { error } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-[radial-gradient(ellipse_at_top,var(--color-brand-50),transparent_60%)] px-4">
      <div className="card w-full max-w-sm p-8">
        <div className="mb-6 flex items-center gap-3">
          <BrandMark />
          <div>
            <p className="text-sm font-semibold">Integration Builder</p>
            <p className="text-xs text-slate-500">Control plane</p>
          </div>
        </div>
        <h1 className="text-lg font-semibold tracking-tight">Sign in to the fleet dashboard</h1>
        {access === "locked" ? (
          <div className="mt-3 space-y-2 text-sm text-slate-600" data-testid="dashboard-locked">
            <p>
              No viewer token is configured, so nobody can view the dashboard. Set{" "}
              <code className="rounded bg-slate-100 px-1 font-mono text-xs">CP_VIEWER_TOKEN</code> and sign in with it,
              or set <code className="rounded bg-slate-100 px-1 font-mono text-xs">CP_PUBLIC_DASHBOARD=1</code> to let
              anyone who can reach the control plane read it.
            </p>
            <p className="text-slate-500">
              <code className="rounded bg-slate-100 px-1 font-mono text-xs">npm start</code> generates a token and
              prints where it is kept.
            </p>
          </div>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-500">
              Enter the viewer token your operator gave you (CP_VIEWER_TOKEN).
            </p>
            <form method="post" action="/api/integration-builder/session" className="mt-6 space-y-4">
              <label className="block">
                <span className="text-sm font-medium text-slate-700">Viewer token</span>
                <input
                  name="token"
                  type="password"
                  required
                  autoComplete="current-password"
                  className="mt-1.5 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none transition focus:border-brand-500 focus:ring-4 focus:ring-brand-100"
                />
              </label>
              {error ? (
                <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200">
                  That token is not valid.
                </p>
              ) : null}
              <button
                type="submit"
                className="w-full rounded-lg bg-brand-600 px-3 py-2 text-sm font-semibold text-white shadow-sm transition hover:bg-brand-700 focus:outline-none focus:ring-4 focus:ring-brand-100"
              >
                Sign in
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
