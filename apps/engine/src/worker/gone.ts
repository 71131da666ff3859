import { connectors } from "@ib/db";
import { and, eq, sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../context.ts";
import { logAlert } from "../observability/alerts.ts";
import { recordAudit } from "../verbs/audit/record-audit.ts";

/**
 * A destination answering `410 Gone` says the endpoint is gone for good (the Standard Webhooks and
 * CloudEvents webhook etiquette): the connector is disabled, with the reason, so the engine stops calling
 * it. Its queued deliveries wait, as for any disabled connector, until someone enables it again (a PUT with
 * `enabled: true`, which clears the reason). Audited and logged as an alert by the one process that made
 * the change. Returns whether it did.
 */
export async function disableGoneConnector({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string; url: string | null; deliveryId: string; at?: Date };
}): Promise<boolean> {
  const at = input.at ?? new Date();
  const where = input.url ? shownUrl(input.url) : "the destination";
  // The time is `disabledAt`; the reason says what happened and where.
  const reason = `Destination answered 410 Gone at ${where}`;
  const disabled = await withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(connectors)
      .set({
        enabled: false,
        disabledReason: reason,
        disabledAt: at,
        version: sql`${connectors.version} + 1`,
        updatedAt: at,
      })
      .where(and(eq(connectors.id, input.connectorId), eq(connectors.enabled, true)))
      .returning({ name: connectors.name, version: connectors.version });
    if (!row) return undefined;
    await recordAudit({
      ctx: tx,
      input: {
        action: "connector.disabled",
        target: input.connectorId,
        details: { name: row.name, version: row.version, reason, statusCode: 410, deliveryId: input.deliveryId },
      },
    });
    return row;
  });
  if (!disabled) return false;
  logAlert(ctx.log, {
    alert: "connector_disabled",
    connectorId: input.connectorId,
    disabledReason: reason,
    deliveryId: input.deliveryId,
  });
  return true;
}

/** The URL as stored for the attempt (secrets already masked), without its query string. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "the destination";
  }
}
