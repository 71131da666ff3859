import { connectorRuntime } from "@ib/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAlerts } from "../src/observability/alerts.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { createConnector, ingest, setSecret, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

/** The value of one sample, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(testDrivers())("GET /metrics on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker | undefined;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
  });
  afterAll(async () => {
    await worker?.stop(2000);
    for (const fn of cleanup) await fn();
    await engine?.close();
  });

  const scrape = async () => {
    const res = await engine.api("GET", "/metrics", { token: null });
    expect(res.status).toBe(200);
    return res;
  };

  it("answers in Prometheus text format without a token, with every documented metric", async () => {
    const res = await scrape();
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    for (const name of [
      "ib_deliveries_total",
      "ib_delivery_attempt_duration_seconds",
      "ib_events_ingested_total",
      "ib_deliveries_queue",
      "ib_oldest_due_delivery_age_seconds",
      "ib_connector_circuit_state",
      "process_resident_memory_bytes",
    ]) {
      expect(res.text).toContain(`# TYPE ${name} `);
    }
    expect(sample(res.text, "ib_database_up")).toBe(1);
    expect(sample(res.text, "ib_events_ingested_total")).toBe(0);
    const doc = await engine.api("GET", "/openapi.json", { token: null });
    expect(doc.json.paths["/metrics"].get).toBeDefined();
  });

  it("reads queue depth, the oldest due delivery's age and circuit states from the database", async () => {
    const dest = await startDestination();
    cleanup.push(() => dest.close());
    const name = uniqueEventName("metrics");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name });
    await setSecret(engine, connector.id, "apiKey", "metrics-secret-value-1234");
    for (let i = 0; i < 3; i++) await ingest(engine, name, { i });
    await engine.ctx.db.execute(
      sql`update deliveries set next_attempt_at = now() - interval '90 seconds' where connector_id = ${connector.id}`,
    );
    await engine.ctx.db
      .insert(connectorRuntime)
      .values({ connectorId: connector.id, circuitState: "open", circuitOpenUntil: new Date(Date.now() + 60_000) });

    const { text } = await scrape();
    expect(sample(text, `ib_deliveries_queue{connector_id="${connector.id}",status="PENDING"}`)).toBe(3);
    expect(sample(text, `ib_deliveries_queue{connector_id="${connector.id}",status="DLQ"}`)).toBe(0);
    expect(sample(text, "ib_oldest_due_delivery_age_seconds")).toBeGreaterThanOrEqual(89);
    expect(sample(text, `ib_connector_circuit_state{connector_id="${connector.id}",state="open"}`)).toBe(1);
    expect(sample(text, `ib_connector_circuit_state{connector_id="${connector.id}",state="closed"}`)).toBe(0);
    expect(sample(text, "ib_events_ingested_total")).toBe(3);
    expect(text).not.toContain("metrics-secret-value-1234");
    // Only connector id, status, outcome, state and le as label names: bounded cardinality.
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    expect([...labelNames].sort()).toEqual(
      [...labelNames].filter((l) => ["connector_id", "status", "outcome", "state", "le"].includes(l as string)).sort(),
    );

    // The circuit alert names the connector on the first look.
    const first = await checkAlerts(engine.ctx, undefined);
    expect(first.alerts).toContainEqual(expect.objectContaining({ alert: "circuit_open", connectorId: connector.id }));
    const again = await checkAlerts(engine.ctx, first.snapshot);
    expect(again.alerts.filter((a) => a.connectorId === connector.id)).toEqual([]);
    await engine.ctx.db.execute(sql`delete from connector_runtime where connector_id = ${connector.id}`);
  });

  it("counts deliveries by outcome and attempt latency as the worker runs, and alerts on a growing DLQ", async () => {
    const ok = await startDestination();
    const down = await startDestination((_r, _n, res) => void res.writeHead(503).end("down"));
    cleanup.push(
      () => ok.close(),
      () => down.close(),
    );
    const good = await createConnector(engine, { url: ok.url, sourceEvent: uniqueEventName("ok") });
    const bad = await createConnector(engine, {
      url: down.url,
      sourceEvent: uniqueEventName("down"),
      retryMaxAttempts: 1,
    });
    const before = await checkAlerts(engine.ctx, undefined);
    worker = deliveryWorker(engine.ctx, { pollMs: 50 });
    await worker.start();
    for (let i = 0; i < 4; i++) await ingest(engine, good.sourceEvent, { i });
    await ingest(engine, bad.sourceEvent, { x: 1 });

    const text = await waitFor(
      async () => {
        const { text } = await scrape();
        // Gauges are read from the database when a scrape starts and counters when it ends, so one scrape
        // can hold a counter that is already past a gauge: wait for a scrape where both have caught up.
        return sample(text, `ib_deliveries_total{connector_id="${bad.id}",outcome="dlq"}`) === 1 &&
          (sample(text, `ib_deliveries_total{connector_id="${good.id}",outcome="success"}`) ?? 0) >= 4 &&
          sample(text, `ib_deliveries_queue{connector_id="${bad.id}",status="DLQ"}`) === 1 &&
          sample(text, `ib_deliveries_queue{connector_id="${good.id}",status="PENDING"}`) === 0
          ? text
          : null;
      },
      { message: "deliveries counted by outcome" },
    );
    expect(sample(text, `ib_delivery_attempt_duration_seconds_count{connector_id="${good.id}"}`)).toBe(4);
    expect(sample(text, `ib_delivery_attempt_duration_seconds_bucket{connector_id="${good.id}",le="+Inf"}`)).toBe(4);
    expect(sample(text, `ib_deliveries_queue{connector_id="${bad.id}",status="DLQ"}`)).toBe(1);
    expect(sample(text, `ib_deliveries_queue{connector_id="${good.id}",status="PENDING"}`)).toBe(0);

    const after = await checkAlerts(engine.ctx, before.snapshot);
    expect(after.alerts).toContainEqual({ alert: "dlq_growing", connectorId: bad.id, dlqOpen: 1, added: 1 });
  });
});

describe.each(testDrivers())("GET /metrics with IB_METRICS_TOKEN on %s", (driver) => {
  let engine: TestEngine;
  const metricsToken = "metrics-scrape-token-0123456789";
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_METRICS_TOKEN: metricsToken });
  });
  afterAll(async () => engine?.close());

  it("needs the metrics token or an API token allowed metrics.read", async () => {
    expectEnvelope(await engine.api("GET", "/metrics", { token: null }), 401, "UNAUTHORIZED");
    expectEnvelope(await engine.api("GET", "/metrics", { token: "wrong-token-wrong-token" }), 401, "UNAUTHORIZED");
    expectEnvelope(await engine.api("GET", "/metrics", { token: engine.tokens.ingest }), 403, "FORBIDDEN");
    expect((await engine.api("GET", "/metrics", { token: metricsToken })).status).toBe(200);
    expect((await engine.api("GET", "/metrics", { token: engine.tokens.viewer })).status).toBe(200);
  });
});
