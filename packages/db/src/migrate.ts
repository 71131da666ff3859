import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { DbHandle } from "./client.ts";

export interface MigrateOptions {
  /** The folder drizzle-kit generated (SQL files and `meta/`). */
  migrationsFolder: string;
  /** drizzle's journal table; an app sharing a database with another keeps its own. */
  migrationsTable?: string;
  /** Advisory lock key; the same in every process of one app. */
  lockKey?: number;
}

// Any constant works; it only has to be the same in every process migrating the same folder.
const DEFAULT_LOCK_KEY = 7_321_004_112;

/**
 * Apply pending migrations. On PostgreSQL many processes may start at once, so they take turns under an
 * advisory lock held on a dedicated connection. The folder is an argument (no path resolved here), so a
 * bundler (Next) can import this module.
 */
export async function migrate(handle: DbHandle, options: MigrateOptions): Promise<void> {
  const config = { migrationsFolder: options.migrationsFolder, migrationsTable: options.migrationsTable };
  if (handle.driver === "pglite") {
    // The handle's db is a PgliteDatabase behind the shared Database type.
    await migratePglite(handle.db as any, config);
    return;
  }
  const lockKey = options.lockKey ?? DEFAULT_LOCK_KEY;
  const client = postgres(handle.location as string, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${lockKey})`;
    await migratePostgres(drizzlePostgres({ client }), config);
    await client`select pg_advisory_unlock(${lockKey})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
