import type { DbHandle } from "@ib/db/client";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

/**
 * Why not `@ib/db`'s `migrate`: its module resolves the engine's folder with
 * `new URL("../../../drizzle", import.meta.url)`, which Next's bundler treats as an asset import and
 * fails the build on. It also records migrations in drizzle's default journal table, which the
 * engine uses: the control plane keeps its own (`drizzle.__cp_migrations`) so that pointing
 * CP_DATABASE_URL at the engine's database cannot make either skip the other's migrations.
 */
const MIGRATIONS_TABLE = "__cp_migrations";
const MIGRATION_LOCK_KEY = 7_321_004_201;

export async function migrateControlPlane(handle: DbHandle, migrationsFolder: string): Promise<void> {
  const config = { migrationsFolder, migrationsTable: MIGRATIONS_TABLE };
  if (handle.driver === "pglite") {
    // The handle's db is a PgliteDatabase behind the shared Database type.
    await migratePglite(handle.db as any, config);
    return;
  }
  // Several control-plane replicas may start at once: they take turns under an advisory lock.
  const client = postgres(handle.location as string, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client }), config);
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
