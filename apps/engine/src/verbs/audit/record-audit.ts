import { AUDIT_GENESIS_HASH, auditHash } from "@ib/core";
import { auditLog } from "@ib/db";
import { desc, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";

export interface AuditInput {
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

// Appends are serialised so that each row's prevHash is the hash of the row before it.
const AUDIT_LOCK_KEY = 7_321_004_113;

/**
 * Append one entry to the WORM audit log, as `ctx.actor` for `ctx.requestId`. Call it with the context
 * of the change being audited (`withTransaction`), so the change and its record commit (or roll back)
 * together.
 */
export async function recordAudit({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: AuditInput;
}): Promise<{ seq: number; hash: string }> {
  const { actor, requestId } = ctx;
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
    const [last] = await tx
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      actorId: actor.tokenId,
      actorRole: actor.role,
      action: input.action,
      target: input.target ?? null,
      details: input.details ?? {},
      requestId,
      prevHash: last?.hash ?? AUDIT_GENESIS_HASH,
    };
    const hash = auditHash(row);
    await tx.insert(auditLog).values({ ...row, hash });
    return { seq: row.seq, hash };
  });
}
