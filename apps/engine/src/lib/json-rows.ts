import { type SQL, sql } from "drizzle-orm";

/**
 * `rows` as a relation for one statement: `json_to_recordset` of one JSON parameter, typed by `columns`
 * (`id text, n int, …`), named `alias`. The statement's text is the same whatever the number of rows, so
 * PostgreSQL prepares it once per connection.
 *
 * Wrapped in `limit <rows>` so the planner knows how many rows there are: it assumes 100 for any set-returning
 * function, and with 100 rows joined to `deliveries` it preferred a hash join over a sequential scan of the
 * whole table until the table held ~40,000 rows (one outcome write of 8 rows: 6.3 ms instead of 1.9 ms on a
 * 4,800-row table, and growing with it); knowing the true count, it looks each row up by primary key.
 */
export function jsonRows(rows: readonly unknown[], alias: string, columns: string): SQL {
  return sql`(select * from json_to_recordset(${JSON.stringify(rows)}::json) as ${sql.raw(alias)}(${sql.raw(columns)})
    limit ${rows.length}) as ${sql.raw(alias)}`;
}
