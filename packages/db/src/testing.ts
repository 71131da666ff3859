import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, type DbHandle, type Driver } from "./client.ts";
import { ENGINE_MIGRATIONS } from "./engine-migrations.ts";
import { migrate } from "./migrate.ts";

export type { Driver };

/**
 * The drivers a test file should run against: PGlite always, PostgreSQL whenever
 * `TEST_DATABASE_URL` is set (CI sets it). Test names carry the driver, so the PostgreSQL run
 * shows in the output rather than being skipped silently.
 */
export function testDrivers(): Driver[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDatabase {
  handle: DbHandle;
  /** Connection string of the throwaway database (postgres only). */
  url: string | undefined;
  /** Close the handle and drop the throwaway database. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new PostgreSQL database
 * created beside `TEST_DATABASE_URL`'s (dropped again by `destroy`). Files never share state.
 */
export async function createTestDatabase(
  driver: Driver,
  options: { migrationsFolder?: string; migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (driver === "pglite") {
    const handle = await createDb({});
    if (options.migrate !== false)
      await migrate(handle, { migrationsFolder: options.migrationsFolder ?? ENGINE_MIGRATIONS });
    return { handle, url: undefined, destroy: () => handle.close() };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `ib_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await createDb({ databaseUrl: url.toString(), poolSize: 10 });
  if (options.migrate !== false)
    await migrate(handle, { migrationsFolder: options.migrationsFolder ?? ENGINE_MIGRATIONS });
  return {
    handle,
    url: url.toString(),
    async destroy() {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
