import { type Executor, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../context.ts";
import { recordAudit } from "../verbs/audit/record-audit.ts";
import { toDate } from "./claim.ts";

/**
 * The per-connector circuit breaker, kept in `connector_runtime` so every worker process shares it:
 * closed -> (N consecutive failures) -> open for a cool-down -> half_open (one probe) -> closed on a
 * success, open again on a failure. Every transition is a conditional UPDATE, so exactly one process makes
 * it, and that one logs the alert and audits it.
 */

/** How `lastError` reads while an open circuit holds a delivery (for people: the worker uses `wait_reason`). */
export const CIRCUIT_POSTPONED_PREFIX = "Circuit open until ";

export interface CircuitSignals {
  connectorId: string;
  threshold: number;
  cooldownMs: number;
  /** Outcomes in completion order: true = the destination was fine, false = it failed. */
  outcomes: boolean[];
  /** The half-open probe's outcome, when this batch carries it. */
  probe?: boolean;
  /** Seen at claim time: lets the common all-success case skip the write. */
  knownFailures: number;
  knownState: "closed" | "open" | "half_open";
}

/** Apply one batch of outcomes for a connector; returns the transition made, if any (audited as `ctx.actor`). */
export async function applyCircuitSignals({
  ctx,
  input: s,
}: {
  ctx: ServiceContext;
  input: CircuitSignals;
}): Promise<"opened" | "closed" | "reopened" | undefined> {
  const lastSuccess = s.outcomes.lastIndexOf(true);
  const trailingFailures = s.outcomes.length - 1 - lastSuccess;
  const anySuccess = lastSuccess >= 0;
  if (s.probe !== undefined) return settleProbe(ctx, s);
  if (trailingFailures === 0 && s.knownFailures === 0 && s.knownState === "closed") return undefined;

  if (trailingFailures === 0) {
    await execute(
      ctx.db,
      sql`update connector_runtime set consecutive_failures = 0, updated_at = now()
          where connector_id = ${s.connectorId} and consecutive_failures <> 0`,
    );
    return undefined;
  }
  const [row] = await execute<{ consecutive_failures: number }>(
    ctx.db,
    sql`insert into connector_runtime (connector_id, consecutive_failures)
        values (${s.connectorId}, ${trailingFailures}::int)
        on conflict (connector_id) do update set
          consecutive_failures = case when ${anySuccess}::boolean then ${trailingFailures}::int
                                      else connector_runtime.consecutive_failures + ${trailingFailures}::int end,
          updated_at = now()
        returning consecutive_failures`,
  );
  const failures = Number(row?.consecutive_failures ?? 0);
  if (failures < s.threshold) return undefined;
  return withTransaction(ctx, async (tx) => {
    const opened = await open(tx.db, s, "closed");
    if (!opened) return undefined;
    await reportTransition(tx, s.connectorId, "open", {
      consecutiveFailures: failures,
      threshold: s.threshold,
      openUntil: opened.toISOString(),
    });
    return "opened" as const;
  });
}

async function settleProbe(ctx: ServiceContext, s: CircuitSignals) {
  return withTransaction(ctx, async (tx) => {
    if (s.probe) {
      const rows = await execute(
        tx.db,
        sql`update connector_runtime set circuit_state = 'closed', consecutive_failures = 0,
              circuit_open_until = null, updated_at = now()
            where connector_id = ${s.connectorId} and circuit_state = 'half_open'
            returning connector_id`,
      );
      if (rows.length === 0) return undefined;
      // Deliveries postponed by the open circuit are due again at once, not at the end of the probe window.
      const released = await execute(
        tx.db,
        sql`update deliveries set next_attempt_at = now(), updated_at = now()
            where connector_id = ${s.connectorId} and status in ('PENDING', 'RETRY_SCHEDULED')
              and wait_reason = 'circuit' and next_attempt_at > now()
            returning id`,
      );
      await reportTransition(tx, s.connectorId, "closed", { probe: "success", released: released.length });
      return "closed" as const;
    }
    const opened = await open(tx.db, s, "half_open");
    if (!opened) return undefined;
    await reportTransition(tx, s.connectorId, "open", {
      probe: "failure",
      openUntil: opened.toISOString(),
      cooldownMs: s.cooldownMs,
    });
    return "reopened" as const;
  });
}

async function open(tx: Executor, s: CircuitSignals, from: "closed" | "half_open"): Promise<Date | undefined> {
  const [row] = await execute<{ circuit_open_until: Date | string }>(
    tx,
    sql`update connector_runtime set circuit_state = 'open', circuit_opened_at = now(),
          circuit_open_until = now() + ${s.cooldownMs}::double precision * interval '1 millisecond', updated_at = now()
        where connector_id = ${s.connectorId} and circuit_state = ${from}
        returning circuit_open_until`,
  );
  return row ? (toDate(row.circuit_open_until) ?? undefined) : undefined;
}

/**
 * Take the half-open probe: one process wins the right to send a single request. `seen` is the state the
 * claim saw; a half_open whose window passed (its prober died) can be taken over.
 */
export async function acquireProbe(
  db: Executor,
  connectorId: string,
  seen: "open" | "half_open",
  windowMs: number,
): Promise<Date | undefined> {
  const [row] = await execute<{ circuit_open_until: Date | string }>(
    db,
    sql`update connector_runtime set circuit_state = 'half_open',
          circuit_open_until = now() + ${windowMs}::double precision * interval '1 millisecond', updated_at = now()
        where connector_id = ${connectorId} and circuit_state = ${seen} and circuit_open_until <= now()
        returning circuit_open_until`,
  );
  return row ? (toDate(row.circuit_open_until) ?? undefined) : undefined;
}

/** Log the alert and audit the transition, in the transaction that made it (`ctx.db`). */
async function reportTransition(
  ctx: ServiceContext,
  connectorId: string,
  state: "open" | "closed",
  details: Record<string, unknown>,
) {
  const alert = state === "open" ? "circuit_open" : "circuit_closed";
  // An alert: operators page on `alert` in the structured log.
  ctx.log.warn(
    { alert, connectorId, ...details },
    `circuit ${state === "open" ? "opened" : "closed"} for ${connectorId}`,
  );
  await recordAudit({
    ctx,
    input: {
      action: state === "open" ? "connector.circuit.open" : "connector.circuit.close",
      target: connectorId,
      details,
    },
  });
}
