import type { ClaimedDelivery } from "./claim.ts";

/**
 * Direct handoff (issue 18): deliveries an ingest creates go straight to a delivery worker of the same
 * process instead of through the queue. The ingest statement inserts them already leased to that worker
 * (PROCESSING, `locked_by`, `locked_until`), so no claim statement, no claim commit and no wake-up stand
 * between the event's commit and the call. Only as many as the worker has free slots for, and only when
 * it has no known backlog (new events must not overtake due ones); the rest are inserted PENDING and
 * claimed as before. A crash between the commit and the outcome leaves the rows leased: when the lease
 * expires, any worker claims them (`leaseLost`), exactly as for a crash after a claim.
 */
export interface HandoffTarget {
  readonly workerId: string;
  readonly leaseMs: number;
  /** Slots this worker would take deliveries into now (0 while it has a backlog or is stopping). */
  free(): number;
  /** Hold `n` slots for an ingest statement in progress (the claim loops count them as taken). */
  reserve(n: number): void;
  /**
   * The statement is over: `deliveries` were written leased to this worker and are to be sent; the rest
   * of the `reserved` slots are free again. `lost`: the statement failed without an answer, so it may have
   * committed rows leased to this worker that it will never know (like a claim whose answer was lost).
   */
  settle(reserved: number, deliveries: ClaimedDelivery[], lost: boolean): void;
}

export interface HandoffReservation {
  workerId: string;
  leaseMs: number;
  /** How many of the ingest's deliveries may be written leased to `workerId`. */
  slots: number;
  /**
   * Give the worker what the statement wrote leased to it (may be fewer than `slots`, or none); `lost` when
   * the statement failed, so whether it committed is not known.
   */
  settle(deliveries: ClaimedDelivery[], lost?: boolean): void;
}

/** The delivery workers running in this process (one registry per app context, `ctx.app.workers`). */
export class LocalWorkers {
  private readonly targets = new Set<HandoffTarget>();

  /** Register a started worker; the answer unregisters it (on stop, before it settles its leases). */
  register(target: HandoffTarget): () => void {
    this.targets.add(target);
    return () => {
      this.targets.delete(target);
    };
  }

  /** Reserve up to `wanted` slots on the local worker with the most free, if any has one. */
  reserve(wanted: number): HandoffReservation | undefined {
    if (wanted <= 0) return undefined;
    let best: HandoffTarget | undefined;
    let bestFree = 0;
    for (const target of this.targets) {
      const free = target.free();
      if (free > bestFree) {
        best = target;
        bestFree = free;
      }
    }
    if (!best) return undefined;
    const target = best;
    const slots = Math.min(wanted, bestFree);
    target.reserve(slots);
    let settled = false;
    return {
      workerId: target.workerId,
      leaseMs: target.leaseMs,
      slots,
      settle(deliveries, lost = false) {
        if (settled) return;
        settled = true;
        target.settle(slots, deliveries, lost);
      },
    };
  }
}
