import { randomBytes } from "node:crypto";
import { DrizzleQueryError } from "drizzle-orm";
import type { BackgroundService } from "../background-service.ts";
import { type AppContext, systemContext, WORK_CHANNEL } from "../context.ts";
import { type AttemptOutcome, recordAttempt } from "../observability/metrics.ts";
import { RegistryPolicyCache, withOverrides } from "../verbs/registry/registry-policy.ts";
import { type AdmissionBatch, type AdmissionPorts, admit } from "./admission.ts";
import { acquireProbe } from "./circuit.ts";
import { type ClaimedDelivery, claimDeliveries } from "./claim.ts";
import { type Completion, CompletionWriter, type PostponeCompletion, type WriterOptions } from "./complete.ts";
import { type CachedConnector, ConnectorCache } from "./connector-cache.ts";
import { executeDelivery, failedAttempt, LEASE_LOST_ERROR } from "./execute.ts";
import type { HandoffTarget } from "./handoff.ts";
import { DeliveryHttpClient } from "./http-client.ts";
import { extendLease, LeaseKeeper, releaseLeases } from "./leases.ts";
import { disableGoneConnectors, updateCircuits } from "./outcome-effects.ts";
import { takeRateToken } from "./rate-limit.ts";
import { destinationPolicy } from "./ssrf-guard.ts";

export interface DeliveryWorkerOptions {
  concurrency: number;
  batchSize: number;
  pollMs: number;
  leaseMs: number;
  /** How long connectors and secrets are cached: the delay before an edit takes effect. */
  connectorTtlMs: number;
  /** How long a disabled connector's deliveries wait before they are looked at again. */
  disabledRecheckMs: number;
  /** Claim loops: while one waits on the database, the other claims. */
  loops: number;
  /** After a claim found less than it asked for, how long the next one waits for more work to arrive. */
  claimGatherMs: number;
  /** Group commit of outcomes: writes at once, and how long a small batch waits to fill. */
  writer: WriterOptions;
  /** Take deliveries straight from this process's ingest (handoff.ts); off, every delivery is claimed. */
  handoff: boolean;
}

export interface DeliveryWorker extends BackgroundService {
  readonly id: string;
  /** Deliveries being executed right now by this worker. */
  inFlight(): number;
  /** Deliveries taken so far: by claim statements, and handed over by an ingest of this process. */
  taken(): { claimed: number; handedOff: number };
}

/** PGlite: how long a claim or an outcome write waits for more work to join it (see `embedded` below). */
const EMBEDDED_GATHER_MS = 5;

const OUTCOME: Record<string, AttemptOutcome> = {
  SUCCESS: "success",
  RETRY_SCHEDULED: "retry_scheduled",
  DLQ: "dlq",
  FAILED: "failed",
};

/**
 * The durable delivery worker (issue 4 items 5–11). Claims due deliveries in batches under a lease, runs up
 * to `concurrency` at once (and at most `maxInFlight` per connector), and writes outcomes in group commits.
 * Wakes on `ctx.wakeWorkers()` (LISTEN/NOTIFY on PostgreSQL) and polls every `pollMs` as a fallback.
 */
export function deliveryWorker(ctx: AppContext, overrides: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
  const concurrency = overrides.concurrency ?? ctx.env.IB_WORKER_CONCURRENCY;
  // PGlite runs one statement at a time, in this thread, at a cost per statement that dwarfs the cost per
  // row: so one claim loop (a second only splits the same work into more statements), claims as large as the
  // free slots, and claims and outcome writes that wait a few milliseconds for more work to join them.
  const embedded = ctx.dbHandle.driver === "pglite";
  const options: DeliveryWorkerOptions = {
    concurrency,
    batchSize: embedded ? Math.max(ctx.env.IB_WORKER_BATCH_SIZE, concurrency) : ctx.env.IB_WORKER_BATCH_SIZE,
    pollMs: ctx.env.IB_WORKER_POLL_MS,
    leaseMs: ctx.env.IB_LEASE_MS,
    connectorTtlMs: 1000,
    disabledRecheckMs: 10_000,
    loops: embedded || concurrency < 16 ? 1 : 2,
    claimGatherMs: embedded ? EMBEDDED_GATHER_MS : 0,
    // On PostgreSQL too, outcomes are written one batch at a time, gathered for 2 ms: fewer commits (fsyncs) to
    // compete with ingest's (one by one, 16 clients: ~1,500 -> ~1,650 events/s; PostgreSQL CPU per event -15 %).
    writer: embedded ? { parallel: 1, gatherMs: EMBEDDED_GATHER_MS } : { parallel: 1, gatherMs: 2 },
    handoff: true,
    ...overrides,
  };
  const id = `${ctx.instanceId}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const log = ctx.logger.child ? ctx.logger.child({ worker: id }) : ctx.logger;
  // The worker acts as the engine: what it audits (circuit transitions, a 410 Gone) is recorded as such.
  const system = systemContext(ctx);
  const cache = new ConnectorCache(system, options.connectorTtlMs);
  const registry = new RegistryPolicyCache(ctx.db, options.connectorTtlMs);
  const client = new DeliveryHttpClient(destinationPolicy(ctx.env));
  const writer = new CompletionWriter(ctx, id, { before: beforeWrite, after: afterWrite }, options.writer);
  const perConnector = new Map<string, number>();
  /** Connectors whose destination just answered 410 Gone, until the outcome has disabled them. */
  const gone = new Set<string>();
  const running = new Set<Promise<void>>();
  const leases = new LeaseKeeper(ctx.db, id, log);
  const ports: AdmissionPorts = {
    isGone: (connectorId) => gone.has(connectorId),
    inFlight: (connectorId) => perConnector.get(connectorId) ?? 0,
    acquireProbe: async ({ connector }, seen) =>
      Boolean(await acquireProbe(ctx.db, connector.id, seen, connector.timeoutMs + 5000)),
    effective: withRegistryOverrides,
    takeRateToken: (connectorId, ratePerSecond) => takeRateToken(ctx.db, { connectorId, ratePerSecond }),
    now: Date.now,
  };
  let inFlight = 0;
  /** Slots a claim in progress may fill. */
  let reserved = 0;
  /** A claim that may take capped and rate-limited connectors' deliveries is in progress. */
  let claimingLimited = false;
  let waitingOnWriter = false;
  /** Claim statements in progress (of the two loops), and whether the last one came back full. */
  let claiming = 0;
  let lastClaimFull = false;
  let wokenDuringClaim = false;
  /** A loop sleeps for want of a free slot (not of due work): a finished call should wake it. */
  let waitingForSlot = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let unregister: (() => void) | undefined;
  /** Slots held for ingest statements in progress, and the deliveries they handed over being dispatched. */
  let handoffReserved = 0;
  const taken = { claimed: 0, handedOff: 0 };
  const handoffs = new Set<Promise<void>>();

  // One pending wake-up: resolved by a notification, a freed slot, a timer, or stop().
  let wakeRequested = false;
  const sleepers = new Set<() => void>();
  let timerAt = Number.POSITIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const wake = () => {
    wakeRequested = true;
    // Work announced while a claim runs may have committed after that claim's snapshot: claim once more.
    if (claiming > 0) wokenDuringClaim = true;
    for (const resolve of [...sleepers]) resolve();
  };
  const wakeAt = (at: number) => {
    if (at >= timerAt || stopping) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timerAt = Number.POSITIVE_INFINITY;
        timer = undefined;
        wake();
      },
      Math.max(0, at - Date.now()),
    );
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakeRequested || stopping) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });

  // Direct handoff (handoff.ts): deliveries an ingest of this process writes leased to this worker. Only
  // while it is well below its concurrency and its last claim emptied the queue, so the claim loops always
  // have room for due work and a backlog is never starved by fresh events taking every freed slot.
  const handoffTarget: HandoffTarget = {
    workerId: id,
    leaseMs: options.leaseMs,
    free() {
      if (stopping || lastClaimFull || waitingOnWriter) return 0;
      // A claim in progress reserves up to a batch of slots it may not fill: it limits the total, not the half.
      const half = Math.floor(options.concurrency / 2) - inFlight - handoffReserved;
      return Math.max(0, Math.min(half, options.concurrency - inFlight - reserved));
    },
    reserve(n) {
      reserved += n;
      handoffReserved += n;
    },
    settle(n, deliveries, lost) {
      if (lost) leases.claimLost();
      const task = (async () => {
        try {
          leases.claimed(deliveries);
          taken.handedOff += deliveries.length;
          if (deliveries.length > 0) {
            ctx.metrics.taken.inc({ how: "handoff" }, deliveries.length);
            await dispatch(deliveries);
          }
        } catch (error) {
          // dispatch() settles each delivery itself; anything escaping it is a bug, logged, never unhandled.
          log.error({ err: error }, "delivery worker: could not dispatch handed-over deliveries");
        } finally {
          reserved -= n;
          handoffReserved -= n;
          if (waitingForSlot) {
            waitingForSlot = false;
            wake();
          }
        }
      })();
      handoffs.add(task);
      void task.finally(() => handoffs.delete(task));
    },
  };

  /** Until every handoff reserved so far is dispatched (a statement in progress settles within `ms`). */
  async function handoffsSettled(ms: number) {
    const until = Date.now() + ms;
    while ((handoffReserved > 0 || handoffs.size > 0) && Date.now() < until) {
      // A timer every round, not only the handoffs: with none dispatching yet (the statement still runs),
      // `allSettled([])` resolves at once and the loop would spin in microtasks, starving the very I/O
      // that finishes the statement.
      const tick = new Promise((resolve) => setTimeout(resolve, 5));
      await (handoffs.size > 0 ? Promise.race([Promise.allSettled([...handoffs]), tick]) : tick);
    }
  }

  async function run() {
    const minClaim = Math.max(1, Math.ceil(Math.min(options.batchSize, options.concurrency) / 4));
    while (!stopping) {
      // Slots being claimed by the other claim loop count as taken.
      const free = options.concurrency - inFlight - reserved;
      // Backpressure: outcomes not yet written count against the claim, so memory and leases stay bounded.
      waitingOnWriter = writer.backlog() > options.concurrency * 2;
      if (free <= 0 || (free < minClaim && inFlight + reserved > 0) || waitingOnWriter) {
        wakeRequested = false;
        waitingForSlot = true;
        await sleep(options.pollMs);
        continue;
      }
      // Woken while the other loop is claiming and its last claim found less than it asked for: that claim
      // takes what the wake-up announced; a second one would find nothing (one statement per wake-up).
      if (claiming > 0 && !lastClaimFull) {
        wakeRequested = false;
        await sleep(options.pollMs);
        continue;
      }
      wakeRequested = false;
      // The last claim emptied the queue: let what arrives in the next few milliseconds join this one.
      if (options.claimGatherMs > 0 && !lastClaimFull) {
        await new Promise((resolve) => setTimeout(resolve, options.claimGatherMs));
        if (stopping) break;
      }
      const limit = Math.min(options.concurrency - inFlight - reserved, options.batchSize);
      if (limit <= 0) continue;
      let claimed: ClaimedDelivery[] = [];
      let answered = false;
      reserved += limit;
      // One claim at a time takes capped and rate-limited connectors' deliveries, until they are started:
      // two would both fill the same free slot or token, and one would have to give its delivery back.
      const takeLimited = !claimingLimited;
      if (takeLimited) claimingLimited = true;
      if (claiming === 0) wokenDuringClaim = false;
      claiming += 1;
      try {
        claimed = await claimDeliveries(ctx.db, {
          workerId: id,
          limit,
          leaseMs: options.leaseMs,
          inFlight: perConnector,
          takeLimited,
        });
        answered = true;
        leases.claimed(claimed);
        taken.claimed += claimed.length;
        if (claimed.length > 0) ctx.metrics.taken.inc({ how: "claim" }, claimed.length);
        if (claimed.length > 0) await dispatch(claimed);
      } catch (error) {
        if (!stopping) {
          log.error({ err: error }, "delivery worker: claim failed; retrying after the poll interval");
          claimed = [];
        }
        // The claim may have committed on a connection that dropped before its answer arrived.
        if (!answered) leases.claimLost();
      } finally {
        claiming -= 1;
        reserved -= limit;
        if (takeLimited) claimingLimited = false;
      }
      // Not while an ingest statement may be committing rows leased to this worker that it has yet to hand over.
      await leases.releaseOrphans(claiming + handoffReserved);
      lastClaimFull = claimed.length >= limit;
      // A full claim: more is due, so the other loop claims too while this one dispatches. Woken during the
      // claim: go again at once (the other loop, woken too, left it to this one).
      if (lastClaimFull) wake();
      else if (wokenDuringClaim) wokenDuringClaim = false;
      else await sleep(options.pollMs);
    }
  }

  async function dispatch(claimed: ClaimedDelivery[]) {
    const ids = claimed.map((d) => d.connectorId);
    let connectors: Map<string, CachedConnector | null>;
    try {
      connectors = await cache.getMany(ids);
      // Enabled or disabled since it was cached: read it again, so neither waits for the cache to expire.
      const stale = claimed.filter((d) => {
        const cached = connectors.get(d.connectorId);
        return cached && cached.connector.enabled !== d.connectorEnabled;
      });
      if (stale.length > 0) {
        for (const d of stale) cache.forget(d.connectorId);
        connectors = await cache.getMany(ids);
      }
    } catch (error) {
      // Nothing of the batch has started: it goes back at once instead of waiting out its lease.
      await leases.giveBack(claimed, error, () => stopping);
      return;
    }
    const batch: AdmissionBatch = { now: Date.now(), probing: new Set() };
    const failedQueries: ClaimedDelivery[] = [];
    let queryError: unknown;
    for (const delivery of claimed) {
      const cached = connectors.get(delivery.connectorId);
      // Deleted with its connector (the delivery row went with it): nothing to do.
      if (!cached) {
        leases.done(delivery.id);
        continue;
      }
      try {
        await dispatchOne(delivery, cached, batch);
      } catch (error) {
        // A query of the admission failed (the database, not the delivery): no call was made, so no attempt.
        if (error instanceof DrizzleQueryError) {
          failedQueries.push(delivery);
          queryError = error;
          continue;
        }
        // Every claimed delivery leaves with an outcome; one that breaks the dispatch counts an attempt.
        log.error(
          { err: error, deliveryId: delivery.id },
          "could not dispatch a delivery; recorded as a failed attempt",
        );
        void writer.write(failedAttempt({ delivery, cached, error: `Worker error: ${errorMessage(error)}` }));
      }
    }
    if (failedQueries.length > 0) await leases.giveBack(failedQueries, queryError, () => stopping);
  }

  async function dispatchOne(delivery: ClaimedDelivery, cached: CachedConnector, batch: AdmissionBatch) {
    if (delivery.leaseLost) {
      // Its previous worker died or stalled mid-attempt: that was an attempt (and, for a delivery that
      // kills its worker every time, the way to the DLQ). The retry follows the connector's backoff.
      const effective = await withRegistryOverrides(cached, delivery);
      void writer.write(failedAttempt({ delivery, cached: effective, error: LEASE_LOST_ERROR }));
      return;
    }
    const admission = await admit(delivery, cached, batch, ports, options);
    if (!admission.admit) {
      postpone(delivery, admission.at, admission.why, admission.reason);
      return;
    }
    if (admission.recheckAt !== undefined) wakeAt(admission.recheckAt);
    const { cached: effective, isProbe } = admission;
    start(delivery, effective, isProbe, () =>
      executeDelivery({ delivery, cached: effective, client, brokers: ctx.brokers, isProbe }),
    );
  }

  async function withRegistryOverrides(cached: CachedConnector, delivery: ClaimedDelivery): Promise<CachedConnector> {
    const overrides = await registry.overridesFor(cached.connector.id, delivery.event);
    return Object.keys(overrides).length
      ? { ...cached, connector: withOverrides(cached.connector, overrides) }
      : cached;
  }

  function postpone(delivery: ClaimedDelivery, at: number, why: PostponeCompletion["why"], reason?: string) {
    void writer.write({ type: "postpone", delivery, nextAttemptAt: new Date(at), why, reason });
    wakeAt(at);
  }

  function start(
    delivery: ClaimedDelivery,
    cached: CachedConnector,
    isProbe: boolean,
    work: () => Promise<Completion>,
  ) {
    const connector = cached.connector;
    inFlight += 1;
    perConnector.set(connector.id, (perConnector.get(connector.id) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      const n = (perConnector.get(connector.id) ?? 1) - 1;
      if (n <= 0) perConnector.delete(connector.id);
      else perConnector.set(connector.id, n);
      // A freed slot wakes a loop waiting for one, and frees room for a capped connector's deliveries the
      // claim left behind; otherwise a loop that found no due work has nothing new to claim.
      if (waitingForSlot || connector.maxInFlight !== null) {
        waitingForSlot = false;
        wake();
      }
    };
    const task = (async () => {
      try {
        if (connector.timeoutMs + 5000 > options.leaseMs)
          await extendLease(ctx.db, id, delivery.id, connector.timeoutMs + 10_000);
        const completion = await work();
        // 410 Gone: this worker sends the connector nothing more while its outcome disables it.
        if (completion.type === "attempt" && completion.record.statusCode === 410) gone.add(connector.id);
        // The slot is free once the call is done; the outcome joins the next group commit.
        release();
        await writer.write(completion);
      } catch (error) {
        // A bug or a database failure, not the destination: still an attempt with an outcome, so the
        // delivery is retried with backoff and a delivery that always crashes ends in the DLQ.
        release();
        log.error({ err: error, deliveryId: delivery.id }, "delivery attempt crashed; recorded as a failed attempt");
        await writer.write(failedAttempt({ delivery, cached, isProbe, error: `Worker error: ${errorMessage(error)}` }));
      } finally {
        release();
      }
    })();
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  function afterWrite(batch: Completion[]) {
    for (const c of batch) {
      leases.done(c.delivery.id);
      if (c.type === "postpone") {
        if (c.why === "circuit" || c.why === "disabled")
          recordAttempt(ctx, { connectorId: c.delivery.connectorId, outcome: "postponed" });
        continue;
      }
      recordAttempt(ctx, {
        connectorId: c.delivery.connectorId,
        outcome: OUTCOME[c.decision.status] ?? "failed",
        durationMs: c.record.request ? c.record.durationMs : null,
      });
      if (c.decision.status === "RETRY_SCHEDULED") wakeAt(Date.now() + (c.decision.delayMs ?? 0));
    }
    if (waitingOnWriter) wake();
  }

  async function beforeWrite(batch: Completion[]) {
    await updateCircuits(system, batch)
      .then((closed) => closed && wake())
      .catch((error) => log.error({ err: error }, "circuit breaker update failed"));
    const settled = (connectorId: string) => {
      // From the next claim on the connector is read again: disabled (by this worker or another).
      cache.forget(connectorId);
      gone.delete(connectorId);
    };
    await disableGoneConnectors(system, batch, settled).catch((error) =>
      log.error({ err: error }, "could not disable a connector whose destination answered 410 Gone"),
    );
  }

  return {
    name: "delivery-worker",
    id,
    inFlight: () => inFlight,
    taken: () => ({ ...taken }),
    async start() {
      if (loop) return;
      stopping = false;
      unlisten = await ctx.dbHandle.listen(WORK_CHANNEL, wake);
      if (options.handoff) unregister = ctx.workers.register(handoffTarget);
      loop = Promise.all(Array.from({ length: options.loops }, () => run())).then(() => undefined);
      log.info({ concurrency: options.concurrency, batchSize: options.batchSize }, "delivery worker started");
    },
    async stop(graceMs: number) {
      if (!loop) return;
      stopping = true;
      unregister?.();
      unregister = undefined;
      if (timer) clearTimeout(timer);
      wake();
      await loop;
      loop = undefined;
      // Deliveries an ingest wrote leased to this worker are dispatched before the grace period starts.
      await handoffsSettled(graceMs);
      await unlisten?.().catch(() => {});
      // Let in-flight deliveries finish within the grace period.
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((r) => {
          graceTimer = setTimeout(r, graceMs);
        }),
      ]);
      clearTimeout(graceTimer);
      await writer.flush();
      // Whatever is still running loses its lease now, so another worker picks it up at once.
      const released = await releaseLeases(ctx.db, id).catch((error) => {
        log.error({ err: error }, "could not release leases");
        return 0;
      });
      await client.agent.destroy().catch(() => {});
      cache.clear();
      log.info({ released }, "delivery worker stopped");
    },
  };
}

/** Stored as the attempt's error: a failed query says what the database said, not the SQL and its parameters. */
function errorMessage(error: unknown): string {
  if (error instanceof DrizzleQueryError && error.cause instanceof Error) return `database: ${error.cause.message}`;
  return error instanceof Error ? error.message : String(error);
}
