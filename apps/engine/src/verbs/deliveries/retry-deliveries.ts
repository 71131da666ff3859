import { isRetryableByOperator } from "@ib/core/delivery-state";
import { connectors, deliveries } from "@ib/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Conflict, NotFound } from "../../lib/domain-errors.ts";
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

/** `retry-dlq`: every DLQ delivery of a connector back to PENDING for a fresh round. Audited. */
export async function retryDlq({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string };
}): Promise<{ requeued: number }> {
  const { connectorId } = input;
  const requeued = await withTransaction(ctx, async (tx) => {
    const [connector] = await tx.db
      .select({ id: connectors.id })
      .from(connectors)
      .where(eq(connectors.id, connectorId));
    if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
    const rows = await tx.db
      .update(deliveries)
      .set(freshRound)
      .where(and(eq(deliveries.connectorId, connectorId), eq(deliveries.status, "DLQ")))
      .returning({ id: deliveries.id });
    await recordAudit({
      ctx: tx,
      input: { action: "connector.retry_dlq", target: connectorId, details: { requeued: rows.length } },
    });
    return rows.length;
  });
  if (requeued > 0) ctx.app.wakeWorkers();
  return { requeued };
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
