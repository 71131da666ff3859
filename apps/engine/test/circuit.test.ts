import { auditLog, connectorRuntime } from "@ib/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { createConnector, deliveryRow, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

describe.each(testDrivers())("circuit breaker on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
    worker = deliveryWorker(engine.ctx);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    await engine?.close();
  });

  it("opens after N consecutive failures, postpones without calls or attempts, and a probe closes it", async () => {
    let down = true;
    const dest = await startDestination((_r, _n, res) => res.writeHead(down ? 503 : 200).end());
    const name = uniqueEventName();
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      retryMaxAttempts: 20,
      retryBackoffBaseMs: 10,
      retryBackoffMaxMs: 20,
      circuitFailureThreshold: 3,
      circuitCooldownMs: 1500,
    });
    const runtime = async () =>
      (await engine.ctx.db.select().from(connectorRuntime).where(eq(connectorRuntime.connectorId, connector.id)))[0];

    const first = await ingest(engine, name, { n: 1 });
    const id = first.deliveries[0]!.id;
    await waitFor(async () => (await runtime())?.circuitState === "open", { message: "circuit to open" });
    expect((await runtime())?.consecutiveFailures).toBeGreaterThanOrEqual(3);

    // The retry falls due while the circuit is open: postponed, no call, no attempt spent.
    const postponed = await waitFor(
      async () => {
        const row = await deliveryRow(engine, id);
        return row.lastError?.startsWith("Circuit open") ? row : null;
      },
      { message: "the delivery to be postponed by the open circuit" },
    );
    const callsWhileOpen = dest.received.length;
    expect(callsWhileOpen).toBe(3);
    expect(postponed).toMatchObject({ status: "RETRY_SCHEDULED", attempts: 3 });
    const second = await ingest(engine, name, { n: 2 });
    await waitFor(
      async () => (await deliveryRow(engine, second.deliveries[0]!.id)).lastError?.startsWith("Circuit open"),
      {
        message: "a new delivery to be postponed too",
      },
    );
    expect(dest.received.length).toBe(3);
    expect((await deliveryRow(engine, second.deliveries[0]!.id)).attempts).toBe(0);

    const metrics = await engine.api("GET", `/admin/integration-builder/connectors/${connector.id}/metrics`);
    expect(metrics.json.circuitState).toBe("open");
    expect(metrics.json.circuit.openUntil).toEqual(expect.any(String));

    // The destination recovers: after the cool-down one probe closes the circuit and the backlog drains.
    down = false;
    await waitFor(async () => (await deliveryRow(engine, id)).status === "SUCCESS", {
      timeoutMs: 8000,
      message: "probe success",
    });
    await waitFor(async () => (await deliveryRow(engine, second.deliveries[0]!.id)).status === "SUCCESS", {
      timeoutMs: 8000,
      message: "backlog to drain",
    });
    expect((await deliveryRow(engine, id)).attempts).toBe(4);
    expect((await deliveryRow(engine, second.deliveries[0]!.id)).attempts).toBe(1);
    expect(await runtime()).toMatchObject({ circuitState: "closed", consecutiveFailures: 0 });
    expect(dest.received.length).toBe(5);

    const audited = await engine.ctx.db
      .select({ action: auditLog.action, actorId: auditLog.actorId, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.target, connector.id)));
    expect(audited.map((a) => a.action)).toEqual(["connector.circuit.open", "connector.circuit.close"]);
    expect(audited.every((a) => a.actorId === "system")).toBe(true);
    expect(audited[0]?.details).toMatchObject({ threshold: 3 });
    await dest.close();
  });

  it("a failed probe opens the circuit again", async () => {
    const dest = await startDestination((_r, _n, res) => res.writeHead(500).end());
    const name = uniqueEventName();
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      retryMaxAttempts: 20,
      retryBackoffBaseMs: 10,
      retryBackoffMaxMs: 20,
      circuitFailureThreshold: 2,
      circuitCooldownMs: 300,
    });
    await ingest(engine, name);
    await waitFor(
      async () => {
        const rows = await engine.ctx.db
          .select({ details: auditLog.details })
          .from(auditLog)
          .where(and(eq(auditLog.target, connector.id), eq(auditLog.action, "connector.circuit.open")));
        return rows.some((r) => (r.details as { probe?: string }).probe === "failure");
      },
      { message: "a failed probe to re-open the circuit" },
    );
    await dest.close();
  });
});
