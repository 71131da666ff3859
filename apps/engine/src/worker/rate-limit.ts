import { type Executor, execute } from "@ib/db";
import { sql } from "drizzle-orm";

/**
 * Per-connector rate limit shared by every worker process: a token bucket kept in
 * `connector_runtime.rate_tokens` / `rate_updated_at` and refilled and spent in ONE atomic statement
 * (the row lock of `INSERT … ON CONFLICT DO UPDATE` serialises concurrent takers, whichever process
 * they run in). The bucket holds up to one second of requests (at least 1), so a connector limited to
 * N/s sends at most N + N·t requests in any t seconds.
 */

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export function bucketSize(ratePerSecond: number): number {
  return Math.max(1, ratePerSecond);
}

export async function takeRateToken(
  db: Executor,
  { connectorId, ratePerSecond }: { connectorId: string; ratePerSecond: number },
): Promise<RateDecision> {
  if (!(ratePerSecond > 0)) return { ok: true };
  const burst = bucketSize(ratePerSecond);
  const available = sql`least(${burst}::double precision,
      coalesce(r.rate_tokens, ${burst}::double precision)
      + extract(epoch from (clock_timestamp() - coalesce(r.rate_updated_at, clock_timestamp()))) * ${ratePerSecond}::double precision)`;
  const taken = await execute<{ rate_tokens: number }>(
    db,
    sql`insert into connector_runtime as r (connector_id, rate_tokens, rate_updated_at)
        values (${connectorId}, ${burst - 1}::double precision, clock_timestamp())
        on conflict (connector_id) do update set rate_tokens = ${available} - 1, rate_updated_at = clock_timestamp()
        where ${available} >= 1
        returning r.rate_tokens`,
  );
  if (taken.length > 0) return { ok: true };
  // Empty bucket: when will the next token be there? (A hint: another worker may take it first.)
  const [state] = await execute<{ available: number | string }>(
    db,
    sql`select ${available} as available from connector_runtime r where r.connector_id = ${connectorId}`,
  );
  const missing = 1 - Number(state?.available ?? 0);
  return { ok: false, retryAfterMs: Math.max(1, Math.ceil((missing / ratePerSecond) * 1000)) };
}
