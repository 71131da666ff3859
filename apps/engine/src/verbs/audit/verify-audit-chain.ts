import { type ChainBreak, findChainBreak } from "@ib/core";
import { auditLog } from "@ib/db";
import { asc, gt } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBroken: ChainBreak | null;
}

/** Re-computes every hash in sequence order and reports the first broken link. */
export async function verifyAuditChain({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  /** `pageSize`: rows read per query. */
  input?: { pageSize?: number };
}): Promise<ChainReport> {
  const pageSize = input.pageSize ?? 1000;
  let previous = null as { seq: number; hash: string } | null;
  let checked = 0;
  for (;;) {
    const rows = await ctx.db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, previous?.seq ?? 0))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    if (rows.length === 0) return { ok: true, checked, firstBroken: null };
    const broken = findChainBreak(rows, previous);
    if (broken)
      return { ok: false, checked: checked + rows.findIndex((r) => r.seq === broken.seq), firstBroken: broken };
    checked += rows.length;
    const last = rows[rows.length - 1] as (typeof rows)[number];
    previous = { seq: last.seq, hash: last.hash };
  }
}
