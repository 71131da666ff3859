import postgres from "postgres";

/**
 * A PostgreSQL session of its own for session-level advisory locks: one connection, never recycled while
 * idle, so a lock lives exactly as long as the session (and dies with the process, even on `kill -9`).
 * Keys are `(classId, hashtext(key))`. If the connection drops, postgres.js opens a new one on the next
 * query: a new session without the locks, which `missing` reports.
 */
export interface AdvisorySession {
  tryLock(classId: number, key: string): Promise<boolean>;
  unlock(classId: number, key: string): Promise<void>;
  /** Of `keys`, those whose lock this session does not hold now. */
  missing(classId: number, keys: string[]): Promise<string[]>;
  close(): Promise<void>;
}

export function openAdvisorySession(url: string, applicationName = "ib-advisory-locks"): AdvisorySession {
  const withName = new URL(url);
  if (!withName.searchParams.has("application_name")) withName.searchParams.set("application_name", applicationName);
  const sql = postgres(withName.toString(), { max: 1, idle_timeout: 0, max_lifetime: null, onnotice: () => {} });
  return {
    async tryLock(classId, key) {
      const [row] = await sql<{ ok: boolean }[]>`select pg_try_advisory_lock(${classId}::int, hashtext(${key})) as ok`;
      return Boolean(row?.ok);
    },
    async unlock(classId, key) {
      await sql`select pg_advisory_unlock(${classId}::int, hashtext(${key}))`;
    },
    async missing(classId, keys) {
      if (keys.length === 0) return [];
      const rows = await sql<{ key: string }[]>`
        select key from unnest(${keys}::text[]) as key
        where not exists (
          select 1 from pg_locks
          where locktype = 'advisory' and pid = pg_backend_pid() and granted
            and classid = ${classId} and objsubid = 2
            and objid = (hashtext(key)::bigint & 4294967295)::oid)`;
      return rows.map((r) => r.key);
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
