import { getTableColumns, type Table } from "drizzle-orm";

/**
 * The most bind parameters one statement may carry. PostgreSQL's protocol counts them in 16 bits and
 * postgres.js refuses anything above 65,534 (PGlite fails the same statement with a bind error), so a
 * multi-row insert whose row count grows with the input must be split.
 */
export const MAX_BIND_PARAMETERS = 65_534;

/**
 * How many rows of `table` one INSERT can carry: drizzle binds at most one parameter per column and row
 * (columns left out are written as `default`), and `reserved` parameters go to the rest of the statement.
 */
export function rowsPerStatement(table: Table, reserved = 0): number {
  return rowsPerParameters(Object.keys(getTableColumns(table)).length, reserved);
}

/** How many rows fit in one statement when each row binds `parametersPerRow` values. */
export function rowsPerParameters(parametersPerRow: number, reserved = 0): number {
  const rows = Math.floor((MAX_BIND_PARAMETERS - reserved) / Math.max(1, parametersPerRow));
  if (rows < 1) throw new Error(`A row of ${parametersPerRow} parameters does not fit in one statement`);
  return rows;
}

/**
 * Runs `write` on consecutive slices of at most `size` rows, one after the other (on a transaction they
 * stay in it), and returns each slice's result, in order.
 */
export async function inChunks<Row, Result>(
  rows: readonly Row[],
  size: number,
  write: (chunk: Row[]) => PromiseLike<Result>,
): Promise<Result[]> {
  const out: Result[] = [];
  for (let start = 0; start < rows.length; start += size) out.push(await write(rows.slice(start, start + size)));
  return out;
}
