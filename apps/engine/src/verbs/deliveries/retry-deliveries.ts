import { isRetryableByOperator } from "@ib/core/delivery-state";
import { connectors, deliveries } from "@ib/db";
import { and, count, eq, gte, ilike, inArray, lt, type SQL, sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Conflict, Invalid, NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";

// A fresh round: attempts start again at 0, the history (delivery_attempts, totalAttempts) is kept.
const freshRound = {
  status: "PENDING" as const,
  attempts: 0,
  round: sql`${deliveries.round} + 1`,
  nextAttemptAt: sql`now()`,
  completedAt: null,
  lockedUntil: null,
  lockedBy: null,
  updatedAt: sql`now()`,
};

/** Which DLQ deliveries a bulk retry takes (DESIGN §12); none given: all of the connector's. */
export interface DlqSubset {
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
  /** The last error contains this text (case-insensitive). */
  errorContains?: string;
  /** Count only (`matched`), change nothing. */
  dryRun?: boolean;
}

/**
 * `retry-dlq`: the connector's DLQ deliveries — all, or the subset `from`/`to`/`errorContains` pick — back
 * to PENDING for a fresh round. `dryRun` answers how many match and changes nothing. Audited with the subset.
 */
export async function retryDlq({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string } & DlqSubset;
}): Promise<{ requeued: number; matched: number }> {
  const { connectorId, from, to, errorContains, dryRun } = input;
  if (from && to && from >= to) throw new Invalid("from must be before to", { field: "from" });
  const where: SQL[] = [eq(deliveries.connectorId, connectorId), eq(deliveries.status, "DLQ")];
  if (from) where.push(gte(deliveries.createdAt, from));
  if (to) where.push(lt(deliveries.createdAt, to));
  if (errorContains) where.push(ilike(deliveries.lastError, `%${errorContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  const result = await withTransaction(ctx, async (tx) => {
    const [connector] = await tx.db
      .select({ id: connectors.id })
      .from(connectors)
      .where(eq(connectors.id, connectorId));
    if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
    if (dryRun) {
      const [row] = await tx.db
        .select({ n: count() })
        .from(deliveries)
        .where(and(...where));
      return { requeued: 0, matched: Number(row?.n ?? 0) };
    }
    const rows = await tx.db
      .update(deliveries)
      .set(freshRound)
      .where(and(...where))
      .returning({ id: deliveries.id });
    const subset = {
      ...(from ? { from: from.toISOString() } : {}),
      ...(to ? { to: to.toISOString() } : {}),
      ...(errorContains ? { errorContains } : {}),
    };
    await recordAudit({
      ctx: tx,
      input: { action: "connector.retry_dlq", target: connectorId, details: { requeued: rows.length, ...subset } },
    });
    return { requeued: rows.length, matched: rows.length };
  });
  if (result.requeued > 0) ctx.app.wakeWorkers();
  return result;
}

/** Retry one FAILED or DLQ delivery (a fresh round). 409 for any other status. Audited. */
export async function retryDelivery({ ctx, input }: { ctx: ServiceContext; input: { deliveryId: string } }) {
  const { deliveryId } = input;
  const row = await withTransaction(ctx, async (tx) => {
    const [current] = await tx.db
      .select({ status: deliveries.status, connectorId: deliveries.connectorId })
      .from(deliveries)
      .where(eq(deliveries.id, deliveryId))
      .for("update");
    if (!current) throw new NotFound(`No delivery ${deliveryId}`);
    if (!isRetryableByOperator(current.status)) {
      throw new Conflict(`Delivery ${deliveryId} is ${current.status}; only FAILED or DLQ deliveries can be retried`, {
        status: current.status,
      });
    }
    const [updated] = await tx.db
      .update(deliveries)
      .set(freshRound)
      .where(and(eq(deliveries.id, deliveryId), inArray(deliveries.status, ["FAILED", "DLQ"])))
      .returning();
    await recordAudit({
      ctx: tx,
      input: {
        action: "delivery.retry",
        target: deliveryId,
        details: { connectorId: current.connectorId, from: current.status, round: updated?.round },
      },
    });
    return updated!;
  });
  ctx.app.wakeWorkers();
  return row;
}
