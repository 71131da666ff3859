import { fileURLToPath } from "node:url";
import { createTestDatabase, type Driver } from "@ib/db/testing";
import { migrateControlPlane } from "../src/server/migrate.ts";

export const CP_MIGRATIONS = fileURLToPath(new URL("../drizzle", import.meta.url));

/** A fresh control-plane store (in-memory PGlite or a throwaway PostgreSQL database) with its migrations applied. */
export async function createTestStore(driver: Driver) {
  const database = await createTestDatabase(driver, { migrate: false });
  await migrateControlPlane(database.handle, CP_MIGRATIONS);
  return database;
}
