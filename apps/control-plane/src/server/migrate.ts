import { type DbHandle, migrate } from "@ib/db";

/**
 * The control plane records its migrations in its own journal table (`drizzle.__cp_migrations`) under its
 * own advisory lock, so pointing CP_DATABASE_URL at the engine's database cannot make either skip the
 * other's migrations.
 */
export async function migrateControlPlane(handle: DbHandle, migrationsFolder: string): Promise<void> {
  await migrate(handle, { migrationsFolder, migrationsTable: "__cp_migrations", lockKey: 7_321_004_201 });
}
