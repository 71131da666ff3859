import { Writable } from "node:stream";
import { auditLog, deliveries } from "@ib/db";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createLogger } from "../src/lib/logger.ts";
import { deliveryWorker } from "../src/worker/service.ts";
import {
  createConnector,
  deliveryRow,
  ingest,
  setSecret,
  startDestination,
  uniqueEventName,
} from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";

// Issue 11 item 9: a destination answering 410 Gone disables its connector (Standard Webhooks and
// CloudEvents etiquette), with the reason, audited and logged as an alert; enabling it again clears both.
describe.each(testDrivers())("410 Gone disables the connector on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
  });
  afterAll(async () => engine?.close());

  /** A worker whose log lines (JSON) are kept for the test to read. */
  async function workerWithLog() {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    });
    const worker = deliveryWorker({ ...engine.ctx, logger: createLogger("info", {}, sink) });
    await worker.start();
    onTestFinished(() => worker.stop(1000));
    return lines;
  }

  it("fails the delivery, disables the connector with the reason, audits it and logs an alert; enabling clears it", async () => {
    let gone = true;
    const dest = await startDestination((_r, _n, res) => res.writeHead(gone ? 410 : 200).end(gone ? "gone" : "ok"));
    onTestFinished(() => dest.close());
    const name = uniqueEventName("gone");
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      // A secret in the query: the reason shows where the destination is, never the secret.
      destination: { url: `${dest.url}/hooks/orders?key=<<secret.apiKey>>`, method: "POST" },
      // One call at a time: the second delivery is looked at only after the 410 came back.
      maxInFlight: 1,
      retryMaxAttempts: 5,
    });
    const apiKey = "key-that-must-not-show-9f3a";
    await setSecret(engine, connector.id, "apiKey", apiKey);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ingest(engine, name, { i })).deliveries[0]!.id);
    const lines = await workerWithLog();

    const first = await waitFor(async () => {
      const r = await deliveryRow(engine, ids[0]!);
      return r.status === "FAILED" ? r : null;
    });
    expect(first).toMatchObject({ attempts: 1, lastStatusCode: 410 });
    expect(first.lastError).toMatch(/HTTP 410 Gone.*not retryable/);

    const read = await waitFor(async () => {
      const res = await engine.api("GET", `${BASE}/connectors/${connector.id}`);
      return res.json.enabled === false ? res : null;
    });
    const { disabledReason, disabledAt } = read.json;
    expect(disabledReason).toMatch(new RegExp(`^Destination answered 410 Gone at ${dest.url}/hooks/orders$`));
    expect(disabledReason).not.toContain(apiKey);
    expect(disabledReason).not.toContain("?");
    expect(new Date(disabledAt).toISOString()).toBe(disabledAt);
    expect(read.json.version).toBe(connector.version + 1);
    const listed = await engine.api("GET", `${BASE}/connectors?enabled=false&limit=500`);
    expect(listed.json.connectors.find((c: { id: string }) => c.id === connector.id)).toMatchObject({
      enabled: false,
      disabledReason,
      disabledAt,
    });

    const audited = await engine.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.target, connector.id), eq(auditLog.action, "connector.disabled")));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorId: "system", actorRole: "system" });
    expect(audited[0]?.details).toMatchObject({ reason: disabledReason, statusCode: 410, deliveryId: ids[0] });

    const alert = await waitFor(() => lines.find((l) => l.alert === "connector_disabled"));
    expect(alert).toMatchObject({
      level: 40,
      connectorId: connector.id,
      disabledReason,
      msg: "alert: connector disabled",
    });
    expect(JSON.stringify(lines)).not.toContain(apiKey);

    // The connector's other deliveries wait, without a call or an attempt, as for any disabled connector.
    const waiting = await waitFor(async () => {
      const rows = await engine.ctx.db
        .select()
        .from(deliveries)
        .where(inArray(deliveries.id, ids.slice(1)));
      return rows.every((r) => r.waitReason === "disabled") ? rows : null;
    });
    expect(waiting.map((r) => [r.status, r.attempts])).toEqual([
      ["PENDING", 0],
      ["PENDING", 0],
    ]);
    expect(dest.received).toHaveLength(1);

    // One PUT with enabled: true (what the admin's "Enable" sends) clears the reason; the waiting
    // deliveries go out at once rather than at their next look (10 s).
    gone = false;
    const {
      id,
      version,
      createdAt: _c,
      updatedAt: _u,
      secrets: _s,
      disabledReason: _r,
      disabledAt: _a,
      ...fields
    } = read.json;
    const enabled = await engine.api("PUT", `${BASE}/connectors`, {
      body: { ...fields, id, version, enabled: true },
    });
    expect(enabled.status, enabled.text).toBe(200);
    expect(enabled.json).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    const update = await engine.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.target, connector.id), eq(auditLog.action, "connector.update")));
    expect(update.at(-1)?.details).toMatchObject({
      changes: { enabled: { before: false, after: true }, disabledReason: { before: disabledReason, after: null } },
    });
    const started = Date.now();
    await waitFor(
      async () => {
        const rows = await engine.ctx.db
          .select()
          .from(deliveries)
          .where(inArray(deliveries.id, ids.slice(1)));
        return rows.every((r) => r.status === "SUCCESS");
      },
      { timeoutMs: 5000, message: "the waiting deliveries after enabling" },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await deliveryRow(engine, ids[0]!)).status).toBe("FAILED");
  });

  it("an admin's own disable carries no reason, and editing an engine-disabled connector keeps it", async () => {
    const dest = await startDestination((_r, _n, res) => res.writeHead(410).end());
    onTestFinished(() => dest.close());
    const name = uniqueEventName("gone2");
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name });
    await ingest(engine, name);
    await workerWithLog();
    const read = await waitFor(async () => {
      const res = await engine.api("GET", `${BASE}/connectors/${connector.id}`);
      return res.json.enabled === false ? res : null;
    });
    const { createdAt: _c, updatedAt: _u, secrets: _s, disabledReason, disabledAt: _a, ...fields } = read.json;
    expect(disabledReason).toMatch(/^Destination answered 410 Gone/);
    // Still disabled, another field edited: the reason stays.
    const edited = await engine.api("PUT", `${BASE}/connectors`, { body: { ...fields, timeoutMs: 5000 } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json).toMatchObject({ enabled: false, disabledReason, disabledAt: read.json.disabledAt });
    // Enabled, then disabled by an admin: no engine reason.
    const on = await engine.api("PUT", `${BASE}/connectors`, {
      body: { ...fields, version: edited.json.version, enabled: true },
    });
    const off = await engine.api("PUT", `${BASE}/connectors`, {
      body: { ...fields, version: on.json.version, enabled: false },
    });
    expect(off.json).toMatchObject({ enabled: false, disabledReason: null, disabledAt: null });
  });
});
