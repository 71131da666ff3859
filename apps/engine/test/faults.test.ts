import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { createConnector, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { type Cluster, countingDestination, ENGINE_APP, SKIP_REASON, startCluster } from "./engine-processes.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

if (SKIP_REASON) console.warn(`process fault tests skipped: ${SKIP_REASON}`);

// Leases are short so a killed worker's deliveries come back in seconds; the connector timeout stays
// below lease - 5 s so the worker never stretches the lease (see worker/service.ts).
const LEASE = { IB_LEASE_MS: "4000" };
const TIMEOUT_MS = 3000;

describe.skipIf(Boolean(SKIP_REASON))("faults survived with nothing lost (engine processes on PostgreSQL)", () => {
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

  it("SIGKILL mid-delivery, then a restart: every delivery arrives (duplicates counted, no loss)", async () => {
    const dest = await countingDestination(async (res) => {
      await new Promise((r) => setTimeout(r, 100));
      res.writeHead(200).end("ok");
    });
    closers.push(dest.close);
    const connector = await cluster.createConnector(dest.url, { timeoutMs: TIMEOUT_MS });
    const first = await cluster.start("all", { ...LEASE, IB_WORKER_CONCURRENCY: "16" });
    const total = 300;
    await cluster.ingest(first, connector.sourceEvent, total);
    await waitFor(() => dest.state.requests >= 40 && dest.state.current > 0, {
      timeoutMs: 20_000,
      message: "deliveries in flight",
    });
    first.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const afterKill = await cluster.statusCounts(connector.id);
    expect(afterKill.PROCESSING ?? 0).toBeGreaterThan(0);

    await cluster.start("all", LEASE);
    await waitFor(async () => (await cluster.statusCounts(connector.id)).SUCCESS === total, {
      timeoutMs: 30_000,
      intervalMs: 100,
      message: "every delivery to succeed after the restart",
    });
    expect(dest.uniqueEvents()).toBe(total);
    const duplicates = dest.duplicates();
    // At-least-once: only what was in flight at the kill may arrive twice.
    expect(duplicates).toBeLessThanOrEqual(afterKill.PROCESSING ?? 0);
    console.info(
      `SIGKILL: ${total} delivered, 0 lost, ${duplicates} duplicates (${afterKill.PROCESSING} were in flight)`,
    );
  });

  it("pg_terminate_backend of every engine connection mid-run: the engine reconnects by itself and finishes", async () => {
    const dest = await countingDestination(async (res) => {
      await new Promise((r) => setTimeout(r, 10));
      res.writeHead(200).end("ok");
    });
    closers.push(dest.close);
    const connector = await cluster.createConnector(dest.url, { timeoutMs: TIMEOUT_MS });
    // A slow poll: finishing quickly after the drop proves the LISTEN connection came back as well.
    const engine = await cluster.start("all", { ...LEASE, IB_WORKER_POLL_MS: "3000" });
    const terminate = async () => {
      const rows = await execute<{ ok: boolean }>(
        cluster.observer.db,
        sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
            where datname = current_database() and application_name = ${ENGINE_APP}`,
      );
      return rows.filter((r) => r.ok).length;
    };

    await cluster.ingest(engine, connector.sourceEvent, 200, "a");
    await waitFor(() => dest.state.requests >= 20, { timeoutMs: 20_000, message: "deliveries under way" });
    expect(await terminate()).toBeGreaterThan(0);
    // Ingest keeps working (a request that hit a dropped connection is retried by the client).
    await cluster.ingest(engine, connector.sourceEvent, 200, "b");
    // Under a loaded CI machine the reconnect plus the lease expiry of what was claimed on a dropped connection
    // has taken over 20 s; the point here is that it recovers by itself and loses nothing, not how fast.
    await waitFor(() => dest.state.requests >= 250, { timeoutMs: 60_000, message: "more deliveries" });
    expect(await terminate()).toBeGreaterThan(0);

    await waitFor(async () => (await cluster.statusCounts(connector.id)).SUCCESS === 400, {
      timeoutMs: 60_000,
      intervalMs: 100,
      message: "every delivery to succeed after the connections were dropped",
    });
    expect(dest.uniqueEvents()).toBe(400);
    expect(engine.child.exitCode).toBeNull();
    expect((await fetch(`${engine.baseUrl}/readyz`)).status).toBe(200);
    // LISTEN came back too: a new event (ingested by another process) is delivered long before the 3 s poll.
    const again = await cluster.start("api");
    const before = dest.state.requests;
    const started = Date.now();
    await cluster.ingest(again, connector.sourceEvent, 1, "c");
    await waitFor(() => dest.state.requests > before, { timeoutMs: 10_000, message: "the wake-up" });
    expect(Date.now() - started).toBeLessThan(2000);
    console.info(
      `pg_terminate_backend: 401 delivered, 0 lost, ${dest.duplicates()} duplicates; wake-up after ${Date.now() - started} ms`,
    );
  });
});

describe.each(testDrivers())("destination down for a stretch, then back, on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
    worker = deliveryWorker(engine.ctx, { pollMs: 50 });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    for (const fn of cleanup) await fn();
    await engine?.close();
  });

  it("delivers everything once it is back: by retries, and from the DLQ with retry-dlq", async () => {
    let up = false;
    const dest = await startDestination((_req, _n, res) => {
      if (up) res.writeHead(200).end("ok");
      else res.writeHead(503).end("down for maintenance");
    });
    cleanup.push(() => dest.close());
    const circuitOff = { circuitFailureThreshold: 1000 };
    // Gives up quickly: its deliveries land in the DLQ while the destination is down.
    const shortLived = await createConnector(engine, {
      url: dest.url,
      sourceEvent: uniqueEventName("down.dlq"),
      retryMaxAttempts: 3,
      retryBackoffBaseMs: 10,
      retryBackoffMaxMs: 40,
      ...circuitOff,
    });
    // Keeps retrying: its deliveries wait in RETRY_SCHEDULED and go out on their own once it is back.
    const patient = await createConnector(engine, {
      url: dest.url,
      sourceEvent: uniqueEventName("down.retry"),
      retryMaxAttempts: 1000,
      retryBackoffBaseMs: 20,
      retryBackoffMaxMs: 150,
      ...circuitOff,
    });
    const dlqIds: string[] = [];
    const retryIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      dlqIds.push((await ingest(engine, shortLived.sourceEvent, { i })).deliveries[0]!.id);
      retryIds.push((await ingest(engine, patient.sourceEvent, { i })).deliveries[0]!.id);
    }
    const count = async (status: string, ids: string[]) => {
      const rows = await execute<{ n: number | string }>(
        engine.ctx.db,
        sql`select count(*) as n from deliveries where status = ${status}
            and id in (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})`,
      );
      return Number(rows[0]?.n ?? 0);
    };
    await waitFor(async () => (await count("DLQ", dlqIds)) === 10, { timeoutMs: 20_000, message: "the DLQ" });
    // The patient connector has been failing for a while too: several attempts each, none lost.
    await waitFor(
      async () => {
        const [row] = await execute<{ n: number | string }>(
          engine.ctx.db,
          sql`select min(total_attempts) as n from deliveries where connector_id = ${patient.id}`,
        );
        return Number(row?.n) >= 3;
      },
      { timeoutMs: 20_000, message: "retries while down" },
    );
    expect(await count("SUCCESS", [...dlqIds, ...retryIds])).toBe(0);

    up = true;
    await waitFor(async () => (await count("SUCCESS", retryIds)) === 10, {
      timeoutMs: 20_000,
      message: "the retrying deliveries to succeed once it is back",
    });
    expect(await count("DLQ", dlqIds)).toBe(10);
    const res = await engine.api("POST", `/admin/integration-builder/connectors/${shortLived.id}/retry-dlq`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ requeued: 10, matched: 10 });
    await waitFor(async () => (await count("SUCCESS", dlqIds)) === 10, {
      timeoutMs: 20_000,
      message: "the requeued DLQ deliveries to succeed",
    });
    // The failed attempts are kept beside the successful one.
    const [history] = await execute<{ n: number | string }>(
      engine.ctx.db,
      sql`select min(c) as n from (select count(*) as c from delivery_attempts
          where connector_id = ${shortLived.id} group by delivery_id) t`,
    );
    expect(Number(history?.n)).toBe(4);
  });
});
