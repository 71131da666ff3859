import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createDb, type DbHandle } from "@ib/db";
import { env } from "./env.ts";
import { migrateControlPlane } from "./migrate.ts";

/**
 * The control plane's own migrations (kept apart from the engine's). `next start` runs with the app
 * directory or the repo root as working directory (`next start apps/control-plane`); a folder only
 * counts when its journal holds our first migration, so the engine's `drizzle/` is never taken for it.
 */
export function migrationsFolder(): string {
  const candidates = [join(process.cwd(), "drizzle"), join(process.cwd(), "apps/control-plane/drizzle")];
  const ours = candidates.find((dir) => {
    const journal = join(dir, "meta/_journal.json");
    return existsSync(journal) && readFileSync(journal, "utf8").includes('"0000_reports"');
  });
  if (!ours) throw new Error(`The control plane's migrations are not in ${candidates.join(" or ")}`);
  return ours;
}

/** Open and migrate the store: PostgreSQL when CP_DATABASE_URL is set, else PGlite under CP_DATA_DIR. */
export async function openStore(): Promise<DbHandle> {
  const e = env();
  const handle = await createDb(
    e.CP_DATABASE_URL ? { databaseUrl: e.CP_DATABASE_URL, poolSize: 5 } : { dataDir: join(e.dataDir, "pglite") },
  );
  try {
    await migrateControlPlane(handle, migrationsFolder());
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

// Next may evaluate this module once per bundle (route handlers, pages); the promise lives on
// globalThis so the process opens PGlite (one process per data directory) exactly once. Nothing
// here runs at import time, so `next build` never opens the store.
const globalStore = globalThis as typeof globalThis & { __ibControlPlaneStore?: Promise<DbHandle> };

export function store(): Promise<DbHandle> {
  if (!globalStore.__ibControlPlaneStore) {
    const opening = openStore();
    globalStore.__ibControlPlaneStore = opening;
    // A failed open is retried by the next request instead of being cached forever.
    opening.catch(() => {
      if (globalStore.__ibControlPlaneStore === opening) globalStore.__ibControlPlaneStore = undefined;
    });
  }
  return globalStore.__ibControlPlaneStore;
}
