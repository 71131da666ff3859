import { type ChainBreak, findChainBreak } from "@ib/core";
import { auditLog, type Executor } from "@ib/db";
import { asc, gt } from "drizzle-orm";

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBroken: ChainBreak | null;
}

/** Re-computes every hash in sequence order and reports the first broken link. */
export async function verifyAuditChain({
  db,
  pageSize = 1000,
}: {
  db: Executor;
  pageSize?: number;
}): Promise<ChainReport> {
  let previous = null as { seq: number; hash: string } | null;
  let checked = 0;
  for (;;) {
    const rows = await db
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
