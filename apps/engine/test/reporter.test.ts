import { createServer, type Server } from "node:http";
import { hostname } from "node:os";
import { connectors, deliveries, deliveryAttempts, events } from "@ib/db";
import { freePort } from "@ib/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The control plane's real ingest handler and store, served on 127.0.0.1: the reporter talks to
// the same code a deployed control plane runs.
import { handleReport } from "../../control-plane/src/server/ingest.ts";
import { integrationBuilderReports } from "../../control-plane/src/server/schema.ts";
import { createTestStore } from "../../control-plane/test/store.ts";
import { systemContext } from "../src/context.ts";
import { loadEnv } from "../src/env.ts";
import { buildReport } from "../src/reporter/build-report.ts";
import { reportUrl } from "../src/reporter/push-report.ts";
import { controlPlaneReporter, retryDelayMs } from "../src/reporter/reporter-service.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const CP_TOKEN = "reporter-test-ingest-token-0123456789";

/** A running control plane: its ingest handler behind node:http, on a port chosen now and listened on later. */
async function startControlPlane(driver: "pglite" | "postgres") {
  const store = await createTestStore(driver);
  const env = { CP_INGEST_TOKEN: CP_TOKEN, CP_MAX_REPORT_BYTES: 1024 * 1024, CP_RETENTION_DAYS: 30 };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const response =
      req.url === "/api/integration-builder/report" && req.method === "POST"
        ? await handleReport(request, { db: store.handle.db, env })
        : new Response("not found", { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  // Not listening yet: the engine can first meet a control plane that is down.
  const port = await freePort();
  return {
    url: `http://127.0.0.1:${port}`,
    listen: () =>
      server.listening ? Promise.resolve() : new Promise<void>((r) => server.listen(port, "127.0.0.1", r)),
    reports: (instanceId: string) =>
      store.handle.db
        .select()
        .from(integrationBuilderReports)
        .where(eq(integrationBuilderReports.instanceId, instanceId)),
    async close() {
      if (server.listening) await new Promise<void>((r) => server.close(() => r()));
      await store.destroy();
    },
  };
}

describe("reporter backoff", () => {
  it("doubles from 1 s with jitter and never waits longer than the report interval", () => {
    expect(retryDelayMs(1, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(1, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(3, 60_000, () => 1)).toBe(4000);
    expect(retryDelayMs(30, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, 5000, () => 0.5)).toBeLessThanOrEqual(5000);
  });

  it("accepts the control plane's base URL or the full ingest URL", () => {
    expect(reportUrl("http://cp:3001")).toBe("http://cp:3001/api/integration-builder/report");
    expect(reportUrl("https://ops.example.com/cp/")).toBe("https://ops.example.com/cp/api/integration-builder/report");
    expect(reportUrl("http://cp:3001/api/integration-builder/report")).toBe(
      "http://cp:3001/api/integration-builder/report",
    );
  });
});

describe("instance name", () => {
  it("is IB_INSTANCE_NAME, else the host name, never the data directory", () => {
    const dataDir = "/tmp/ib-engine-e2e-Xyz";
    expect(loadEnv({ IB_DATA_DIR: dataDir, IB_INSTANCE_NAME: " checkout-eu-1 " }).instanceName).toBe("checkout-eu-1");
    const fallback = loadEnv({ IB_DATA_DIR: dataDir, IB_INSTANCE_NAME: "" });
    expect(fallback.instanceName).toBe(hostname());
    expect(fallback.instanceName).not.toContain(dataDir);
    // The id stays unique per data directory (two engines on one host), the name is for people.
    expect(fallback.instanceId).toContain(dataDir);
  });
});

// Every test builds on the same stored fixtures (read only). Whether a control plane is up is each
// test's own: the shared one listens from the start, a test that needs one down makes its own.
describe.each(testDrivers())("engine reporter on %s", (driver) => {
  let engine: TestEngine;
  let cp: Awaited<ReturnType<typeof startControlPlane>>;
  const instanceId = `engine-${driver}-reporter`;

  beforeAll(async () => {
    cp = await startControlPlane(driver);
    engine = await startTestEngine(driver, {
      IB_CONTROL_PLANE_URL: cp.url,
      IB_CONTROL_PLANE_TOKEN: CP_TOKEN,
      IB_INSTANCE_ID: instanceId,
      IB_INSTANCE_NAME: "eu-west-1a",
      IB_REPORT_INTERVAL_MS: "1000",
    });
    await cp.listen();
    // Fixtures: two enabled connectors and a paused one, deliveries in every state and their attempts,
    // some older than 24 h. The 24 h numbers come from the attempts' outcomes.
    const db = engine.ctx.db;
    const now = Date.now();
    const ago = (h: number) => new Date(now - h * 3600_000);
    const destination = { url: "https://example.com/hook", method: "POST" as const };
    await db.insert(connectors).values([
      { id: "con_rep_orders", name: "Orders to ERP", sourceEvent: "order.created", destination },
      { id: "con_rep_sms", name: "SMS on payment", sourceEvent: "payment.confirmed", destination },
      { id: "con_rep_paused", name: "Paused one", sourceEvent: "order.created", destination, enabled: false },
    ]);
    await db.insert(events).values({ id: "evt_rep_1", name: "order.created", payload: {} });
    const d = (id: string, connectorId: string, status: string, completedAt: Date | null) => ({
      id,
      connectorId,
      eventId: "evt_rep_1",
      status: status as "SUCCESS",
      completedAt,
    });
    await db.insert(deliveries).values([
      d("dlv_rep_1", "con_rep_orders", "SUCCESS", ago(1)),
      d("dlv_rep_2", "con_rep_orders", "SUCCESS", ago(23)),
      d("dlv_rep_3", "con_rep_orders", "SUCCESS", ago(25)), // outside the window
      d("dlv_rep_4", "con_rep_orders", "FAILED", ago(2)),
      d("dlv_rep_5", "con_rep_orders", "DLQ", ago(3)), // failure and open DLQ
      d("dlv_rep_6", "con_rep_sms", "DLQ", ago(48)), // open DLQ, failed long ago
      d("dlv_rep_7", "con_rep_sms", "SUCCESS", ago(0.5)),
      d("dlv_rep_8", "con_rep_sms", "PENDING", null),
      d("dlv_rep_9", "con_rep_sms", "RETRY_SCHEDULED", null),
      d("dlv_rep_10", "con_rep_paused", "PROCESSING", null),
    ]);
    let seq = 0;
    const a = (deliveryId: string, connectorId: string, outcome: string, startedAt: Date) => ({
      id: `att_rep_${++seq}`,
      deliveryId,
      connectorId,
      attempt: seq,
      outcome,
      durationMs: 5,
      startedAt,
    });
    await db.insert(deliveryAttempts).values([
      a("dlv_rep_1", "con_rep_orders", "SUCCESS", ago(1)),
      a("dlv_rep_2", "con_rep_orders", "RETRY_SCHEDULED", ago(23)),
      a("dlv_rep_2", "con_rep_orders", "SUCCESS", ago(22.5)),
      a("dlv_rep_3", "con_rep_orders", "SUCCESS", ago(25)), // outside the window
      a("dlv_rep_4", "con_rep_orders", "FAILED", ago(2)),
      a("dlv_rep_5", "con_rep_orders", "RETRY_SCHEDULED", ago(3.5)),
      a("dlv_rep_5", "con_rep_orders", "DLQ", ago(3)),
      a("dlv_rep_6", "con_rep_sms", "DLQ", ago(48)), // outside the window
      a("dlv_rep_7", "con_rep_sms", "SUCCESS", ago(0.5)),
      a("dlv_rep_9", "con_rep_sms", "RETRY_SCHEDULED", ago(0.2)),
    ]);
  });
  afterAll(async () => {
    await engine?.close();
    await cp?.close();
  });

  it("counts from the connectors, deliveries and attempts tables", async () => {
    const report = await buildReport({ ctx: systemContext(engine.ctx) });
    expect(report).toMatchObject({
      instanceId,
      instanceName: "eu-west-1a",
      connectorsActive: 2,
      connectorsTotal: 3,
      success24h: 3,
      failure24h: 2,
      failedAttempts24h: 5,
      dlqOpen: 2,
      reportIntervalMs: 1000,
    });
    expect(report.hourly).toHaveLength(24);
    expect(report.hourly.reduce((n, h) => n + h.success, 0)).toBe(3);
    expect(report.hourly.reduce((n, h) => n + h.failure, 0)).toBe(2);
    expect(report.hourly.reduce((n, h) => n + h.failedAttempts, 0)).toBe(5);
    const row = (id: string, name: string, enabled: boolean, s: number, f: number, fa: number, dlq: number) => ({
      id,
      name,
      enabled,
      success24h: s,
      failure24h: f,
      failedAttempts24h: fa,
      dlqOpen: dlq,
    });
    expect(report.connectors).toEqual([
      row("con_rep_orders", "Orders to ERP", true, 2, 2, 4, 1),
      row("con_rep_sms", "SMS on payment", true, 1, 0, 1, 1),
      row("con_rep_paused", "Paused one", false, 0, 0, 0, 0),
    ]);
  });

  it("report-control-plane answers 503 while the control plane is down", async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const ctx = { ...engine.ctx, env: { ...engine.ctx.env, IB_CONTROL_PLANE_URL: nobody } };
    const { buildApp } = await import("../src/routes/index.ts");
    const answer = await buildApp(ctx).request("/admin/integration-builder/report-control-plane", {
      method: "POST",
      headers: { authorization: `Bearer ${engine.tokens.admin}` },
    });
    const res = { status: answer.status, json: (await answer.json()) as any };
    expectEnvelope(res, 503, "UNAVAILABLE");
    expect(res.json.error.message).toMatch(/Could not reach the control plane/);
  });

  it("the reporter retries a failed push and reaches the control plane once it is up", async () => {
    // Capture what the reporter logs (the engine's logger is silent in tests).
    const logged: { level: string; fields: any; msg: string }[] = [];
    const capture = (level: string) => (fields: any, msg?: string) =>
      logged.push(typeof fields === "string" ? { level, fields: {}, msg: fields } : { level, fields, msg: msg ?? "" });
    const logger = { ...engine.ctx.logger, warn: capture("warn"), info: capture("info"), debug: capture("debug") };
    // Its own control plane, down until the first push has failed.
    const down = await startControlPlane(driver);
    const reporter = controlPlaneReporter({
      ...engine.ctx,
      env: { ...engine.ctx.env, IB_CONTROL_PLANE_URL: down.url },
      logger: logger as typeof engine.ctx.logger,
    });
    await reporter.start();
    try {
      const failure = await waitFor(() => logged.find((l) => l.level === "warn" && l.fields.attempt === 1), {
        message: "the first push to fail and be logged",
      });
      expect(failure.fields.err.message).toMatch(/Could not reach the control plane/);
      expect(failure.fields.retryInMs).toBeGreaterThan(0);
      expect(await down.reports(instanceId)).toHaveLength(0);
      await down.listen();
      const rows = await waitFor(
        async () => {
          const r = await down.reports(instanceId);
          return r.length >= 2 && r; // the retry, then the next periodic push
        },
        { timeoutMs: 15_000, message: "two reports at the control plane" },
      );
      expect(rows[0]).toMatchObject({
        instanceName: "eu-west-1a",
        connectorsActive: 2,
        connectorsTotal: 3,
        success24h: 3,
        failure24h: 2,
        failedAttempts24h: 5,
        dlqOpen: 2,
      });
      expect(rows[0]?.connectors).toHaveLength(3);
      expect(logged.some((l) => l.msg.includes("reachable again"))).toBe(true);
      expect(JSON.stringify(logged)).not.toContain(CP_TOKEN);
    } finally {
      await reporter.stop(1000);
      await down.close();
    }
  });

  it("POST /admin/integration-builder/report-control-plane pushes now and returns the report it sent", async () => {
    const before = (await cp.reports(instanceId)).length;
    const res = await engine.api("POST", "/admin/integration-builder/report-control-plane");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      sent: true,
      controlPlaneStatus: 201,
      report: { instanceId, connectorsTotal: 3, success24h: 3, failure24h: 2, dlqOpen: 2 },
    });
    const rows = await cp.reports(instanceId);
    expect(rows.length).toBe(before + 1);
    expect(JSON.stringify(res.json)).not.toContain(CP_TOKEN);
    const audit = await engine.api("GET", "/admin/integration-builder/audit");
    expect(audit.status).toBe(200);
    expect(audit.json.entries.map((e: { action: string }) => e.action)).toContain("control-plane.report");
  });

  it("needs the control-plane.report permission", async () => {
    expectEnvelope(await engine.api("POST", "/admin/integration-builder/report-control-plane", { token: null }), 401);
    expectEnvelope(
      await engine.api("POST", "/admin/integration-builder/report-control-plane", { token: engine.tokens.viewer }),
      403,
      "FORBIDDEN",
    );
  });

  it("a wrong ingest token is a 503 naming the control plane's 401, never echoing the token", async () => {
    const ctx = { ...engine.ctx, env: { ...engine.ctx.env, IB_CONTROL_PLANE_TOKEN: "not-the-right-token-at-all" } };
    const { buildApp } = await import("../src/routes/index.ts");
    const app = buildApp(ctx);
    const res = await app.request("/admin/integration-builder/report-control-plane", {
      method: "POST",
      headers: { authorization: `Bearer ${engine.tokens.admin}` },
    });
    const json = (await res.json()) as any;
    expectEnvelope({ status: res.status, json }, 503, "UNAVAILABLE");
    expect(json.error.message).toMatch(/401/);
    expect(JSON.stringify(json)).not.toContain("not-the-right-token-at-all");
  });

  it("answers 409 when no control plane is configured", async () => {
    const ctx = { ...engine.ctx, env: { ...engine.ctx.env, IB_CONTROL_PLANE_URL: undefined } };
    const { buildApp } = await import("../src/routes/index.ts");
    const res = await buildApp(ctx).request("/admin/integration-builder/report-control-plane", {
      method: "POST",
      headers: { authorization: `Bearer ${engine.tokens.admin}` },
    });
    expectEnvelope({ status: res.status, json: await res.json() }, 409, "CONFLICT");
  });
});
