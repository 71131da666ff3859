import { store } from "./db.ts";
import { loadEnv } from "./env.ts";
import { pruneReports } from "./ingest.ts";
import { dashboardAccess } from "./viewer.ts";

/**
 * Once per server start (from instrumentation.ts, never during `next build`). In production the
 * control plane refuses to start without CP_INGEST_TOKEN: an ingest route nobody can authenticate
 * to is a misconfiguration to catch at boot, not at the first report.
 */
export async function startup(): Promise<void> {
  let e: ReturnType<typeof loadEnv>;
  try {
    e = loadEnv();
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
  if (e.NODE_ENV === "production" && !e.CP_INGEST_TOKEN) {
    console.error(
      "\nCP_INGEST_TOKEN is not set: the control plane refuses to start in production without it.\n" +
        "Set it to a long random value (e.g. `openssl rand -hex 32`) and give engines the same value as IB_CONTROL_PLANE_TOKEN.\n",
    );
    process.exit(1);
  }
  const access = dashboardAccess(e);
  if (access === "locked") {
    console.warn(
      "[control-plane] no CP_VIEWER_TOKEN: nobody can view the dashboard. Set it (viewers sign in with it), " +
        "or CP_PUBLIC_DASHBOARD=1 to make the dashboard readable by anyone who can reach it.",
    );
  } else if (access === "public") {
    console.warn(
      `[control-plane] CP_PUBLIC_DASHBOARD=1: the dashboard is readable without signing in${e.CP_VIEWER_TOKEN ? " (CP_VIEWER_TOKEN is not asked for)" : ""}.`,
    );
  }
  try {
    const { db, driver } = await store();
    const pruned = await pruneReports(db, e.CP_RETENTION_DAYS);
    console.log(
      `[control-plane] store ready (${driver === "pglite" ? `PGlite in ${e.dataDir}` : "PostgreSQL"}); pruned ${pruned} report(s) older than ${e.CP_RETENTION_DAYS} days`,
    );
  } catch (error) {
    console.error(`\n[control-plane] cannot open the store: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
}
