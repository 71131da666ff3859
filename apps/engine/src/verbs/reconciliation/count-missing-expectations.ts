import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";

/** Expectations in MISSING now (the control-plane report's `expectationsMissing`). */
export async function countMissingExpectations({ ctx }: { ctx: ServiceContext }): Promise<number> {
  const [row] = await execute<{ n: number | string }>(
    ctx.db,
    sql`select count(*) as n from expectations where status = 'MISSING'`,
  );
  return Number(row?.n ?? 0);
}
