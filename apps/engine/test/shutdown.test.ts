import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, countingDestination, SKIP_REASON, startCluster } from "./engine-processes.ts";
import { waitFor } from "./harness.ts";

if (SKIP_REASON) console.warn(`shutdown tests skipped: ${SKIP_REASON}`);

/** A destination that holds every answer until `release()`: the test decides when work finishes. */
async function holdingDestination() {
  const waiting: (() => void)[] = [];
  let released = false;
  const dest = await countingDestination(
    (res) =>
      new Promise<void>((resolve) => {
        const answer = () => {
          if (!res.destroyed) res.writeHead(200).end("ok");
          resolve();
        };
        if (released) answer();
        else waiting.push(answer);
      }),
  );
  return {
    ...dest,
    release() {
      released = true;
      for (const answer of waiting.splice(0)) answer();
    },
  };
}

describe.skipIf(Boolean(SKIP_REASON))("SIGTERM (engine process on PostgreSQL)", () => {
  let cluster: Cluster;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterEach(async () => {
    for (const p of cluster.processes) p.kill("SIGKILL");
    await Promise.all(cluster.processes.map((p) => p.exited));
    cluster.processes.length = 0;
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => cluster?.close());

  const settings = { IB_WORKER_CONCURRENCY: "8", IB_LEASE_MS: "30000" };

  it("stops claiming, finishes in-flight work within the grace period, and closes the database", async () => {
    const dest = await holdingDestination();
    closers.push(dest.close);
    const connector = await cluster.createConnector(dest.url, { timeoutMs: 10_000 });
    const engine = await cluster.start("all", { ...settings, IB_SHUTDOWN_GRACE_MS: "15000" });
    await cluster.ingest(engine, connector.sourceEvent, 40);
    await waitFor(() => dest.state.current === 8, { timeoutMs: 20_000, message: "8 deliveries in flight" });
    expect(await cluster.engineConnections()).toBeGreaterThan(0);

    engine.kill("SIGTERM");
    await waitFor(() => engine.output().includes('"msg":"shutting down"'), { message: "the SIGTERM to be seen" });
    // Free the slots only now: a worker still claiming would start new requests here.
    dest.release();
    const exit = await engine.exited;
    expect(exit.code).toBe(0);
    expect(engine.output()).toContain('"msg":"stopped"');

    expect(dest.state.requests).toBe(8);
    const counts = await cluster.statusCounts(connector.id);
    expect(counts).toEqual({ SUCCESS: 8, PENDING: 32 });
    await waitFor(async () => (await cluster.engineConnections()) === 0, {
      timeoutMs: 5000,
      message: "the engine's connections to close",
    });
  });

  it("releases the leases of work that outlives the grace period, so another process takes it at once", async () => {
    const dest = await holdingDestination();
    closers.push(dest.close);
    const connector = await cluster.createConnector(dest.url, { timeoutMs: 10_000 });
    const engine = await cluster.start("all", { ...settings, IB_SHUTDOWN_GRACE_MS: "500" });
    await cluster.ingest(engine, connector.sourceEvent, 20);
    await waitFor(() => dest.state.current === 8, { timeoutMs: 20_000, message: "8 deliveries in flight" });

    const signalled = Date.now();
    engine.kill("SIGTERM");
    const exit = await engine.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(8000);
    // Nothing stays leased by the stopped process (the lease is 30 s: waiting for it would show here).
    const counts = await cluster.statusCounts(connector.id);
    expect(counts.PROCESSING).toBeUndefined();
    expect(counts.SUCCESS).toBeUndefined();

    dest.release();
    await cluster.start("all", settings);
    await waitFor(async () => (await cluster.statusCounts(connector.id)).SUCCESS === 20, {
      timeoutMs: 15_000,
      message: "the next process to deliver everything",
    });
    expect(dest.uniqueEvents()).toBe(20);
    console.info(`SIGTERM past the grace period: 20 delivered by the next process, ${dest.duplicates()} duplicates`);
  });
});
