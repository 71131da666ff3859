import type { PGlite } from "@electric-sql/pglite";

/**
 * Autovacuum for PGlite. PGlite runs PostgreSQL in single-user mode, which has no autovacuum: without it
 * dead row versions are never removed from indexes, so every claim walked the queue index's dead entries
 * and every outcome write the lease index's (a 30-row outcome write took 3 ms instead of 1.9 after 20,000
 * deliveries, and kept growing), and tables are never analysed, so the planner guesses their sizes.
 *
 * Every `intervalMs` this applies autovacuum's own default rule to each table from PostgreSQL's statistics:
 * VACUUM when dead rows exceed 50 + 20 % of the live ones, ANALYZE when rows changed since the last
 * analysis exceed 50 + 10 %. The work done per row stays the same whatever the table's size (a bigger
 * table is vacuumed less often). It runs between statements, like any other query: PGlite runs one at a
 * time, so a vacuum delays the queries behind it by its duration (tens to hundreds of milliseconds).
 */
export function startPgliteMaintenance(
  client: PGlite,
  { intervalMs = 10_000, onError = () => {} }: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = maintain(client)
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

interface TableStats {
  table: string;
  live: number;
  dead: number;
  changed: number;
}

/** One pass: vacuum and analyse the tables autovacuum would. Resolves to what it did (for tests). */
export async function maintain(client: PGlite): Promise<{ vacuumed: string[]; analyzed: string[] }> {
  // Statistics reach the shared counters when a backend reports them; single-user mode reports lazily.
  await client.query("select pg_stat_force_next_flush()");
  const { rows } = await client.query<TableStats>(
    `select quote_ident(schemaname) || '.' || quote_ident(relname) as table,
            n_live_tup::float8 as live, n_dead_tup::float8 as dead, n_mod_since_analyze::float8 as changed
       from pg_stat_user_tables`,
  );
  const vacuumed: string[] = [];
  const analyzed: string[] = [];
  for (const t of rows) {
    if (t.dead > 50 + 0.2 * t.live) {
      await client.exec(`vacuum (analyze) ${t.table}`);
      vacuumed.push(t.table);
    } else if (t.changed > 50 + 0.1 * t.live) {
      await client.exec(`analyze ${t.table}`);
      analyzed.push(t.table);
    }
  }
  return { vacuumed, analyzed };
}
