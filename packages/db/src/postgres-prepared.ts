import { type SQL, sql } from "drizzle-orm";
import type { Sql } from "postgres";

/** Starts the text of a statement `prepared()` marked (a comment: PostgreSQL ignores it). */
const MARK = "/* ib:prepared */ ";

/**
 * Mark a hot statement to be prepared on PostgreSQL: parsed, analysed and planned once per connection, after
 * which PostgreSQL's plan cache uses a generic plan when that is no worse. Only for statements whose text is
 * the same on every call (values as parameters, rows as one JSON parameter) and whose plan does not depend on
 * how large a table has grown: a generic plan made while a table was nearly empty (a fresh database, on a
 * server that does not analyse it) keeps scanning it whole once it is large, until it is analysed again.
 * (PGlite prepares every statement: pglite-statements.ts, with its own analysis every 10 s.)
 */
export function prepared(query: SQL): SQL {
  return sql`${sql.raw(MARK)}${query}`;
}

/**
 * drizzle runs every statement on postgres.js unprepared (`prepare: false` unless a query has a name), so
 * PostgreSQL parses, analyses and plans each one on every call: the ingest statement spent 0.43 ms being
 * planned per call against 0.63 ms executing. This makes the pool's `unsafe` (what drizzle calls) prepare
 * the statements `prepared()` marked. postgres.js prepares a statement again when a schema change
 * invalidated it. Transactions (`begin`) have their own `unsafe` and run as before.
 */
export function prepareMarkedStatements(client: Sql): void {
  const unsafe = client.unsafe;
  const wrapped = (query: string, args?: unknown, options?: Record<string, unknown>) =>
    query.startsWith(MARK) && Array.isArray(args)
      ? unsafe(query, args as never, { ...options, prepare: true } as never)
      : unsafe(query, args as never, options as never);
  client.unsafe = wrapped as typeof client.unsafe;
}
