import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { LEASE_LOST_ERROR } from "../src/worker/execute.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import {
  attemptRows,
  claimedDelivery,
  createConnector,
  deliveryRow,
  ingest,
  insertLeasedDelivery,
  startDestination,
  successfulDelivery,
  uniqueEventName,
} from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

// Issue 18: deliveries an ingest creates go straight to a worker of the same process, written leased to it
// by the ingest statement itself: no claim statement, no claim commit, no wake-up in between.
describe.each(testDrivers())("direct handoff from ingest to the worker on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
  });
  afterAll(async () => engine?.close());

  async function worker(overrides: Parameters<typeof deliveryWorker>[1] = {}): Promise<DeliveryWorker> {
    const w = deliveryWorker(engine.ctx, overrides);
    await w.start();
    onTestFinished(() => w.stop(1000));
    return w;
  }

  /** Until the worker takes handoffs: its first claim, which holds every free slot while it runs, is over. */
  async function takingHandoffs() {
    await waitFor(() => {
      const probe = engine.ctx.workers.reserve(1);
      probe?.settle([]);
      return probe !== undefined;
    });
  }

  async function destination(...args: Parameters<typeof startDestination>) {
    const d = await startDestination(...args);
    onTestFinished(() => d.close());
    return d;
  }

  it("sends a new event's delivery without any claim: one attempt, SUCCESS, the payload as sent", async () => {
    const dest = await destination();
    const name = uniqueEventName("handoff");
    await createConnector(engine, { url: dest.url, sourceEvent: name });
    // A one-minute poll and no wake-up needed: only the handoff can deliver this in time.
    const w = await worker({ pollMs: 60_000 });
    await takingHandoffs();
    const before = w.taken();
    const { deliveries } = await ingest(engine, name, { order: 7, lines: [{ sku: "a" }] });
    await waitFor(() => dest.received.length === 1, { timeoutMs: 5000, message: "the delivery" });
    expect(JSON.parse(dest.received[0]!.body)).toMatchObject({ name, payload: { order: 7, lines: [{ sku: "a" }] } });
    const row = await successfulDelivery(engine, deliveries[0]!.id);
    expect(row).toMatchObject({ attempts: 1, lockedBy: null, lockedUntil: null });
    expect(await attemptRows(engine, row.id)).toHaveLength(1);
    expect(w.taken()).toEqual({ claimed: before.claimed, handedOff: before.handedOff + 1 });
  });

  it("leaves deliveries of connectors held back by a cap or a rate limit to the claim", async () => {
    const dest = await destination();
    const name = uniqueEventName("limited");
    await createConnector(engine, { url: dest.url, sourceEvent: name, maxInFlight: 1 });
    await createConnector(engine, { url: dest.url, sourceEvent: name, rateLimitPerSecond: 50 });
    const w = await worker({ pollMs: 50 });
    const before = w.taken();
    await ingest(engine, name);
    await waitFor(() => dest.received.length === 2, { timeoutMs: 5000, message: "both deliveries" });
    const after = w.taken();
    expect(after.handedOff).toBe(before.handedOff);
    expect(after.claimed - before.claimed).toBe(2);
  });

  it("hands over at most half the worker's slots, so due work is always claimed, and delivers each once", async () => {
    const held: (() => void)[] = [];
    const dest = await destination((_r, _n, res) => {
      held.push(() => res.writeHead(200).end());
    });
    const name = uniqueEventName("busy");
    await createConnector(engine, { url: dest.url, sourceEvent: name });
    const w = await worker({ concurrency: 4, pollMs: 50 });
    const before = w.taken();
    const sent = await Promise.all(Array.from({ length: 6 }, (_, i) => ingest(engine, name, { i })));
    // Four calls at once (the concurrency), at most two of them handed over; the other two wait their turn.
    await waitFor(() => held.length === 4, { timeoutMs: 5000, message: "four calls in flight" });
    const during = w.taken();
    expect(during.handedOff - before.handedOff).toBeLessThanOrEqual(2);
    expect(during.handedOff - before.handedOff + during.claimed - before.claimed).toBe(4);
    while (dest.received.length < 6 || held.length > 0) {
      held.splice(0).forEach((release) => {
        release();
      });
      await new Promise((r) => setTimeout(r, 20));
    }
    const bodies = dest.received.map((r) => JSON.parse(r.body).payload.i).sort();
    expect(bodies).toEqual([0, 1, 2, 3, 4, 5]);
    for (const { deliveries } of sent) {
      await successfulDelivery(engine, deliveries[0]!.id);
    }
  });

  it("a repeated event id hands nothing over and keeps no slot", async () => {
    const dest = await destination();
    const name = uniqueEventName("repeat");
    await createConnector(engine, { url: dest.url, sourceEvent: name });
    // One slot to hand over into (half of 2): a slot kept by a repeat would stop every later handoff.
    const w = await worker({ concurrency: 2, pollMs: 60_000 });
    await takingHandoffs();
    const before = w.taken();
    const id = `evt_repeat_${Date.now()}`;
    await ingest(engine, name, { first: true }, id);
    // Each call over before the next event, so its slot is free again (the destination's answer is read first).
    await waitFor(() => dest.received.length === 1 && w.inFlight() === 0);
    for (let i = 0; i < 5; i++) {
      const res = await engine.api("POST", "/v1/events", {
        token: engine.tokens.ingest,
        body: { id, name, payload: { repeat: i } },
      });
      expect(res.json.duplicate).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      await ingest(engine, name, { next: i });
      await waitFor(() => dest.received.length === i + 2 && w.inFlight() === 0, {
        timeoutMs: 5000,
        message: `delivery ${i + 2}`,
      });
    }
    expect(dest.received).toHaveLength(4);
    expect(w.taken()).toEqual({ claimed: before.claimed, handedOff: before.handedOff + 4 });
  });

  it("a delivery handed to a process that died before sending it is claimed when its lease ends", async () => {
    const dest = await destination();
    const name = uniqueEventName("orphan");
    await createConnector(engine, { url: dest.url, sourceEvent: name });
    // A worker that takes the handoff and then never acts on it: its process died right after the commit.
    const unregister = engine.ctx.workers.register({
      workerId: "dead-process",
      leaseMs: 1000,
      free: () => 8,
      reserve: () => {},
      settle: () => {},
    });
    let deliveryId: string;
    try {
      deliveryId = (await ingest(engine, name)).deliveries[0]!.id;
    } finally {
      unregister();
    }
    expect(await deliveryRow(engine, deliveryId)).toMatchObject({ status: "PROCESSING", lockedBy: "dead-process" });
    await worker({ pollMs: 50 });
    const row = await successfulDelivery(engine, deliveryId);
    expect(dest.received).toHaveLength(1);
    // The lost lease counts as an attempt, as for a worker that died after a claim.
    expect(row.attempts).toBe(2);
    expect((await attemptRows(engine, deliveryId))[0]?.error).toBe(LEASE_LOST_ERROR);
  });

  it("rows an ingest statement may have committed without an answer are released, not left to their lease", async () => {
    const dest = await destination();
    const name = uniqueEventName("unanswered");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name });
    const w = await worker({ pollMs: 50 });
    // What a statement whose connection dropped after its commit leaves: a delivery leased to the worker
    // for a minute, which the worker never heard of.
    const deliveryId = await insertLeasedDelivery(engine, {
      connectorId: connector.id,
      name,
      lockedBy: w.id,
      lockedUntil: new Date(Date.now() + 60_000),
    });
    const reservation = engine.ctx.workers.reserve(1);
    expect(reservation?.workerId).toBe(w.id);
    reservation?.settle([], true);
    const row = await successfulDelivery(engine, deliveryId);
    // Given back as it was, so no attempt is counted for it.
    expect(row.attempts).toBe(1);
    expect(dest.received).toHaveLength(1);
  });

  it("stopping waits for a handoff whose statement is still running, and sends what it hands over", async () => {
    const dest = await destination();
    const name = uniqueEventName("stopping");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name });
    const w = deliveryWorker(engine.ctx, { pollMs: 60_000 });
    await w.start();
    await takingHandoffs();
    const reservation = engine.ctx.workers.reserve(1);
    expect(reservation?.workerId).toBe(w.id);
    // The worker is told to stop while the ingest statement that reserved its slot is still running.
    const stopped = w.stop(5000);
    const deliveryId = await insertLeasedDelivery(engine, {
      connectorId: connector.id,
      name,
      lockedBy: w.id,
      lockedUntil: new Date(Date.now() + 60_000),
    });
    const row = await deliveryRow(engine, deliveryId);
    reservation?.settle([claimedDelivery({ id: deliveryId, connectorId: connector.id, eventId: row.eventId, name })]);
    await stopped;
    // Sent and recorded before the worker gave its leases back: not left PENDING for a worker that is gone.
    expect(dest.received).toHaveLength(1);
    expect(await deliveryRow(engine, deliveryId)).toMatchObject({ status: "SUCCESS", attempts: 1, lockedBy: null });
    expect(engine.ctx.workers.reserve(1)).toBeUndefined();
  });
});
