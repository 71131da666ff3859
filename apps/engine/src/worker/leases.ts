import { type Executor, execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { jsonRows } from "../lib/json-rows.ts";
import type { Logger } from "../lib/logger.ts";
import type { ClaimedDelivery } from "./claim.ts";

/**
 * The worker's leases beyond claiming (claim.ts) and writing outcomes (complete.ts): stretching one for a
 * long call, and giving deliveries back before the lease runs out when this worker will not call them.
 */

/** Stretch a delivery's lease for a call that may outlast it (a connector timeout close to the lease). */
export async function extendLease(db: Executor, workerId: string, deliveryId: string, ms: number): Promise<void> {
  await execute(
    db,
    sql`update deliveries set locked_until = now() + ${ms}::double precision * interval '1 millisecond'
        where id = ${deliveryId} and locked_by = ${workerId}`,
  );
}

/**
 * Give claimed deliveries back as they were before the claim, at once: nothing was sent for them (the
 * worker failed right after claiming, e.g. on a dropped connection), so waiting for their lease to expire
 * would only delay them, and then count a lost lease as an attempt. A delivery claimed because its previous
 * worker's lease had expired goes back to exactly that (PROCESSING, lease over), so the next claim still
 * counts that worker's attempt. Only rows this worker still holds are touched. Returns how many went back.
 */
export async function handBack(db: Executor, workerId: string, deliveries: ClaimedDelivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  const rows = deliveries.map((d) => ({
    id: d.id,
    prev_status: d.prevStatus,
    lease_lost: d.leaseLost,
    held: "PROCESSING",
  }));
  const back = await execute(
    db,
    sql`update deliveries d set
          status = case when h.lease_lost then 'PROCESSING' else h.prev_status end,
          locked_until = case when h.lease_lost then now() else null end,
          locked_by = null,
          updated_at = now()
        from ${jsonRows(rows, "h", "id text, prev_status text, lease_lost boolean, held text")}
        -- By primary key, not through the partial lease index (see writeCompletions).
        where d.id = h.id and d.locked_by = ${workerId} and d.status = h.held
        returning d.id`,
  );
  return back.length;
}

/**
 * Release every lease this worker holds except `keep` (due again at once): on stop, what is still running;
 * after a claim whose answer was lost (the statement may have committed on a connection that then dropped),
 * the rows it may have locked, which this worker does not know and will never call. Their status before the
 * claim is not known either: PENDING if never attempted, else RETRY_SCHEDULED.
 */
export async function releaseLeases(db: Executor, workerId: string, keep: Iterable<string> = []): Promise<number> {
  const released = await execute(
    db,
    sql`update deliveries set status = case when attempts = 0 then 'PENDING' else 'RETRY_SCHEDULED' end,
          locked_until = null, locked_by = null, next_attempt_at = now(), updated_at = now()
        where locked_by = ${workerId} and status = 'PROCESSING'
          and id not in (select json_array_elements_text(${JSON.stringify([...keep])}::json))
        returning id`,
  );
  return released.length;
}

/**
 * The deliveries a worker holds (claimed, not yet written or handed back), and what it gives back early:
 * claimed deliveries it will not call after a failed query, and the rows a claim whose answer was lost may
 * have locked (released only while no claim runs, so a claim's fresh rows are always known by then).
 */
export class LeaseKeeper {
  readonly held = new Set<string>();
  private orphans = false;

  constructor(
    private readonly db: Executor,
    private readonly workerId: string,
    private readonly log: Logger,
  ) {}

  claimed(deliveries: ClaimedDelivery[]): void {
    for (const d of deliveries) this.held.add(d.id);
  }

  done(deliveryId: string): void {
    this.held.delete(deliveryId);
  }

  /**
   * A claim (or an ingest statement handing deliveries to this worker) failed before its answer arrived: it
   * may have committed on a connection that then dropped.
   */
  claimLost(): void {
    this.orphans = true;
  }

  /** Give deliveries back at once (see `handBack`), retrying a dropped connection; else they wait out the lease. */
  async giveBack(deliveries: ClaimedDelivery[], cause: unknown, stopping: () => boolean): Promise<void> {
    this.log.warn(
      { err: cause, count: deliveries.length },
      "a query failed right after the claim: handing the deliveries back without an attempt",
    );
    for (let attempt = 1; ; attempt++) {
      try {
        await handBack(this.db, this.workerId, deliveries);
        break;
      } catch (error) {
        // A dropped connection fails the query that meets it; the next one reconnects.
        if (attempt < 3 && !stopping()) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        else {
          this.log.error({ err: error }, "could not hand deliveries back; they wait for their lease to expire");
          break;
        }
      }
    }
    for (const d of deliveries) this.held.delete(d.id);
  }

  /** Release what a lost claim may have locked, once no statement that leases rows to this worker is running. */
  async releaseOrphans(running: number): Promise<void> {
    if (!this.orphans || running > 0) return;
    try {
      const released = await releaseLeases(this.db, this.workerId, this.held);
      this.orphans = false;
      if (released > 0) this.log.warn({ released }, "released deliveries locked by a claim whose answer was lost");
    } catch (error) {
      this.log.error({ err: error }, "could not release the leases of a lost claim; retrying after the next claim");
    }
  }
}
