import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryWorker } from "../src/worker/service.ts";
import { createConnector, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

// The worker claims when ingest wakes it, not on its poll: with a one-minute poll, events arriving one at a
// time (some while a claim is running, whose snapshot may predate their commit) are all delivered in seconds.
describe.each(testDrivers())("worker wake-ups on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
  });
  afterAll(async () => engine?.close());

  it("events arriving while a claim runs are claimed at once, not at the next poll", async () => {
    const dest = await startDestination((_r, _n, res) => res.writeHead(200).end());
    const name = uniqueEventName("wake");
    await createConnector(engine, { url: dest.url, sourceEvent: name });
    // Without the direct handoff, which would take these events without any claim.
    const worker = deliveryWorker(engine.ctx, { pollMs: 60_000, handoff: false });
    await worker.start();
    try {
      // Rounds of three events at once, each round waited for: the second and third wake the worker while the
      // first one's claim may be running; none of them may be left for the next (one-minute) poll.
      let sent = 0;
      for (let round = 0; round < 40; round++) {
        const results = await Promise.all(
          [0, 1, 2].map((k) => engine.api("POST", "/v1/events", { body: { name, payload: { round, k } } })),
        );
        expect(results.map((r) => r.status)).toEqual([202, 202, 202]);
        sent += 3;
        await waitFor(() => dest.received.length >= sent, {
          timeoutMs: 5_000,
          intervalMs: 5,
          message: `round ${round}: ${sent} deliveries (the worker polls only once a minute)`,
        });
      }
      expect(dest.received.length).toBe(sent);
    } finally {
      await worker.stop(1000);
      await dest.close();
    }
  });
});
