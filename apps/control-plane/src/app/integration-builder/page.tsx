import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDashboard } from "../../server/dashboard.ts";
import { store } from "../../server/db.ts";
import { env } from "../../server/env.ts";
import { dashboardAccess, isViewerAllowed, VIEWER_COOKIE } from "../../server/viewer.ts";
import { Providers } from "../providers.tsx";
import { FleetDashboard } from "./_components/fleet-dashboard.tsx";

// Always rendered per request: `next build` must never open the store.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Fleet · Integration Builder control plane" };

export default async function IntegrationBuilderPage() {
  const e = env();
  const jar = await cookies();
  if (!isViewerAllowed(e, jar.get(VIEWER_COOKIE)?.value)) redirect("/integration-builder/sign-in");
  const { db } = await store();
  const initial = await getDashboard(db, e);
  return (
    <Providers>
      <FleetDashboard initial={initial} signOut={dashboardAccess(e) === "sign-in"} adminUrl={e.CP_ADMIN_URL ?? null} />
    </Providers>
  );
}
