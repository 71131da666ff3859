import { auditLog } from "@ib/db";
import { and, desc, eq, ilike, lt, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { auditNames } from "./audit-names.ts";

export interface ListAuditInput {
  actor?: string;
  action?: string;
  target?: string;
  /** Entries with a sequence number below this one (the `nextCursor` of the previous page). */
  cursor?: number;
  limit: number;
}

export async function listAudit({ ctx, input }: { ctx: ServiceContext; input: ListAuditInput }) {
  const where: SQL[] = [];
  if (input.actor) where.push(eq(auditLog.actorId, input.actor));
  if (input.action)
    where.push(
      input.action.endsWith("*")
        ? ilike(auditLog.action, `${input.action.slice(0, -1)}%`)
        : eq(auditLog.action, input.action),
    );
  if (input.target) where.push(eq(auditLog.target, input.target));
  if (input.cursor) where.push(lt(auditLog.seq, input.cursor));
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const names = await auditNames({ ctx, input: { ids: page.flatMap((r) => [r.actorId, r.target]) } });
  return {
    entries: page.map((r) => ({
      ...r,
      at: r.at.toISOString(),
      actorName: (r.actorId && names.get(r.actorId)) ?? null,
      targetName: (r.target && names.get(r.target)) ?? null,
    })),
    nextCursor: rows.length > input.limit ? String(page[page.length - 1]?.seq) : null,
  };
}
