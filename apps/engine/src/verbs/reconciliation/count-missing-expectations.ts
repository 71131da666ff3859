import { type Executor, execute } from "@ib/db";
import { sql } from "drizzle-orm";

/** Expectations in MISSING now (the control-plane report's `expectationsMissing`). */
export async function countMissingExpectations({ db }: { db: Executor }): Promise<number> {
  const [row] = await execute<{ n: number | string }>(
    db,
    sql`select count(*) as n from expectations where status = 'MISSING'`,
  );
  return Number(row?.n ?? 0);
}
