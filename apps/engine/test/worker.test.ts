import { randomBytes } from "node:crypto";
import { newId } from "@ib/core/ids";
import { deliveries, events } from "@ib/db";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import {
  attemptRows,
  createConnector,
  deliveryRow,
  ingest,
  setSecret,
  startDestination,
  uniqueEventName,
} from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

describe.each(testDrivers())("delivery worker on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  const cleanup: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
    worker = deliveryWorker(engine.ctx);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    for (const fn of cleanup) await fn();
    await engine?.close();
  });

  async function destination(...args: Parameters<typeof startDestination>) {
    const d = await startDestination(...args);
    cleanup.push(() => d.close());
    return d;
  }

  const settled = (id: string, status: string) =>
    waitFor(async () => ((await deliveryRow(engine, id)).status === status ? deliveryRow(engine, id) : null), {
      message: `delivery ${id} to reach ${status}`,
    });

  it("delivers a mapped request with the delivery headers and records the attempt", async () => {
    const dest = await destination();
    const name = uniqueEventName("order");
    const connector = await createConnector(engine, {
      url: `${dest.url}/orders`,
      sourceEvent: name,
      destination: {
        url: `${dest.url}/orders?src=<<event.source>>`,
        method: "POST",
        headers: { "X-Order": "<<event.payload.orderId>>" },
      },
      mapping: { orderId: "$.payload.orderId", eventId: "$.id" },
    });
    const started = Date.now();
    const res = await engine.api("POST", "/v1/events", { body: { name, source: "shop", payload: { orderId: 42 } } });
    const deliveryId = res.json.deliveries[0].id;
    const row = await settled(deliveryId, "SUCCESS");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(row).toMatchObject({ attempts: 1, totalAttempts: 1, lastStatusCode: 200, lastError: null, lockedBy: null });
    expect(row.completedAt).toBeInstanceOf(Date);

    expect(dest.received).toHaveLength(1);
    const req = dest.received[0]!;
    expect(req.url).toBe("/orders?src=shop");
    expect(JSON.parse(req.body)).toEqual({ orderId: 42, eventId: res.json.id });
    expect(req.headers["idempotency-key"]).toBe(deliveryId);
    expect(req.headers["webhook-id"]).toBe(deliveryId);
    expect(req.headers["user-agent"]).toMatch(/^IntegrationBuilder\//);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["x-order"]).toBe("42");
    expect(req.headers["webhook-signature"]).toBeUndefined();

    const [attempt] = await attemptRows(engine, deliveryId);
    expect(attempt).toMatchObject({
      attempt: 1,
      round: 1,
      outcome: "SUCCESS",
      statusCode: 200,
      connectorId: connector.id,
    });
    expect(attempt?.response).toMatchObject({ status: 200, body: '{"ok":true}', bodyTruncated: false });
    expect(attempt?.request).toMatchObject({ method: "POST", headers: { "Idempotency-Key": deliveryId } });
    expect(attempt?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("retries with growing gaps, then succeeds; every attempt is stored", async () => {
    const dest = await destination((_r, n, res) => {
      if (n <= 3) res.writeHead(503).end("busy");
      else res.writeHead(201).end();
    });
    const name = uniqueEventName();
    await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      retryBackoffBaseMs: 150,
      retryBackoffMaxMs: 5000,
    });
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    const row = await settled(d!.id, "SUCCESS");
    expect(row.attempts).toBe(4);
    expect(dest.received).toHaveLength(4);
    const gaps = dest.received.slice(1).map((r, i) => r.at - dest.received[i]!.at);
    // base 150 ms doubling: never earlier than 150, 300, 600 ms (scheduling noise only adds to a gap)
    expect(gaps[0]).toBeGreaterThanOrEqual(145);
    expect(gaps[1]).toBeGreaterThanOrEqual(295);
    expect(gaps[2]).toBeGreaterThanOrEqual(595);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    const attempts = await attemptRows(engine, d!.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, "RETRY_SCHEDULED", 503],
      [2, "RETRY_SCHEDULED", 503],
      [3, "RETRY_SCHEDULED", 503],
      [4, "SUCCESS", 201],
    ]);
    expect(attempts[0]?.error).toMatch(/HTTP 503 Service Unavailable from the destination: busy/);
    // every request of the delivery carries the same id
    expect(new Set(dest.received.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([d!.id]));
  });

  it("moves a delivery to the DLQ after retryMaxAttempts", async () => {
    const dest = await destination((_r, _n, res) => res.writeHead(500).end());
    const name = uniqueEventName();
    await createConnector(engine, { url: dest.url, sourceEvent: name, retryMaxAttempts: 3, retryBackoffBaseMs: 10 });
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    const row = await settled(d!.id, "DLQ");
    expect(row.attempts).toBe(3);
    expect(row.lastError).toMatch(/HTTP 500.*gave up after 3 attempts/);
    expect(row.completedAt).toBeInstanceOf(Date);
    expect(dest.received).toHaveLength(3);
  });

  it("fails a 400 permanently after exactly one call", async () => {
    const dest = await destination((_r, _n, res) =>
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bad"}'),
    );
    const name = uniqueEventName();
    await createConnector(engine, { url: dest.url, sourceEvent: name, retryMaxAttempts: 5, retryBackoffBaseMs: 10 });
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    const row = await settled(d!.id, "FAILED");
    expect(row).toMatchObject({ attempts: 1, lastStatusCode: 400 });
    expect(row.lastError).toMatch(/HTTP 400 Bad Request.*not retryable/);
    // a second event to the same connector goes through the worker too: the first is not retried meanwhile
    const {
      deliveries: [d2],
    } = await ingest(engine, name);
    await settled(d2!.id, "FAILED");
    expect(dest.received.filter((r) => r.headers["webhook-id"] === d!.id)).toHaveLength(1);
  });

  it("honours Retry-After on a 429", async () => {
    const dest = await destination((_r, n, res) => {
      if (n === 1) res.writeHead(429, { "retry-after": "1" }).end();
      else res.writeHead(200).end();
    });
    const name = uniqueEventName();
    await createConnector(engine, { url: dest.url, sourceEvent: name, retryBackoffBaseMs: 10 });
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    await settled(d!.id, "SUCCESS");
    const gap = dest.received[1]!.at - dest.received[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
    expect((await attemptRows(engine, d!.id))[0]).toMatchObject({ outcome: "RETRY_SCHEDULED", statusCode: 429 });
  });

  it("enforces the connector timeout and retries", async () => {
    const dest = await destination((_r, n, res) => {
      if (n === 1) setTimeout(() => res.writeHead(200).end(), 1500);
      else res.writeHead(200).end();
    });
    const name = uniqueEventName();
    await createConnector(engine, { url: dest.url, sourceEvent: name, timeoutMs: 200, retryBackoffBaseMs: 10 });
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    await settled(d!.id, "SUCCESS");
    const attempts = await attemptRows(engine, d!.id);
    expect(attempts[0]).toMatchObject({ outcome: "RETRY_SCHEDULED", statusCode: null });
    expect(attempts[0]?.error).toMatch(/within 200 ms \(timeout\)/);
    expect(attempts[0]?.durationMs).toBeLessThan(1200);
  });

  it("fails at once, naming the secret, when a secret is missing; no request is sent", async () => {
    const dest = await destination();
    const name = uniqueEventName();
    await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      destination: { url: dest.url, method: "POST", headers: { Authorization: "Bearer <<secret.apiToken>>" } },
    });
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    const row = await settled(d!.id, "FAILED");
    expect(row.lastError).toMatch(/apiToken/);
    expect(row.attempts).toBe(1);
    expect(dest.received).toHaveLength(0);
    const [attempt] = await attemptRows(engine, d!.id);
    expect(attempt).toMatchObject({ outcome: "FAILED", statusCode: null, response: null });
  });

  it("signs with the connector's signingSecret, verifiable by the standardwebhooks package, and never stores secrets", async () => {
    const dest = await destination();
    const name = uniqueEventName();
    const connector = await createConnector(engine, {
      url: dest.url,
      sourceEvent: name,
      destination: { url: dest.url, method: "POST", headers: { "X-Api-Key": "<<secret.apiKey>>" } },
      mapping: { id: "$.id", data: "$.payload" },
    });
    const signingSecret = `whsec_${randomBytes(24).toString("base64")}`;
    const apiKey = `key-${randomBytes(8).toString("hex")}`;
    await setSecret(engine, connector.id, "signingSecret", signingSecret);
    await setSecret(engine, connector.id, "apiKey", apiKey);
    const {
      id: eventId,
      deliveries: [d],
    } = await ingest(engine, name, { amount: 5 });
    await settled(d!.id, "SUCCESS");
    const req = dest.received[0]!;
    expect(req.headers["x-api-key"]).toBe(apiKey);
    const verified = new Webhook(signingSecret).verify(req.body, {
      "webhook-id": req.headers["webhook-id"] as string,
      "webhook-timestamp": req.headers["webhook-timestamp"] as string,
      "webhook-signature": req.headers["webhook-signature"] as string,
    });
    expect(verified).toEqual({ id: eventId, data: { amount: 5 } });
    expect(req.headers["webhook-id"]).toBe(d!.id);
    const [attempt] = await attemptRows(engine, d!.id);
    const stored = JSON.stringify(attempt);
    expect(stored).not.toContain(apiKey);
    expect(stored).not.toContain(signingSecret.slice(6));
  });

  it("caps the stored response body at 64 KiB and does not follow redirects", async () => {
    const dest = await destination((r, _n, res) => {
      if (r.url === "/big") res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(100 * 1024));
      else res.writeHead(302, { location: "/big" }).end();
    });
    const name = uniqueEventName();
    await createConnector(engine, { url: `${dest.url}/big`, sourceEvent: name });
    const redirecting = uniqueEventName();
    await createConnector(engine, { url: `${dest.url}/moved`, sourceEvent: redirecting });
    const {
      deliveries: [big],
    } = await ingest(engine, name);
    const {
      deliveries: [moved],
    } = await ingest(engine, redirecting);
    await settled(big!.id, "SUCCESS");
    const [attempt] = await attemptRows(engine, big!.id);
    const response = attempt?.response as { body: string; bodyTruncated: boolean };
    expect(response.bodyTruncated).toBe(true);
    expect(response.body).toHaveLength(64 * 1024);
    const row = await settled(moved!.id, "FAILED");
    expect(row).toMatchObject({ attempts: 1, lastStatusCode: 302 });
    expect(dest.received.filter((r) => r.url === "/moved")).toHaveLength(1);
    expect(dest.received.filter((r) => r.url === "/big")).toHaveLength(1);
  });

  it("claims again a delivery whose lease expired (its worker died)", async () => {
    const dest = await destination();
    const name = uniqueEventName();
    const connector = await createConnector(engine, { url: dest.url, sourceEvent: name });
    const eventId = newId("event");
    const deliveryId = newId("delivery");
    await engine.ctx.db.insert(events).values({ id: eventId, name, payload: { x: 1 } });
    await engine.ctx.db.insert(deliveries).values({
      id: deliveryId,
      connectorId: connector.id,
      eventId,
      status: "PROCESSING",
      lockedBy: "dead-worker",
      lockedUntil: new Date(Date.now() - 1000),
    });
    engine.ctx.wakeWorkers();
    const row = await settled(deliveryId, "SUCCESS");
    // The lost lease counted as the first attempt (worker-leases.test.ts has the details).
    expect(row.attempts).toBe(2);
    expect(dest.received).toHaveLength(1);
  });

  it("keeps at most maxInFlight requests of a connector in flight", async () => {
    let current = 0;
    let peak = 0;
    const dest = await destination((_r, _n, res) => {
      current += 1;
      peak = Math.max(peak, current);
      setTimeout(() => {
        current -= 1;
        res.writeHead(200).end();
      }, 40);
    });
    const name = uniqueEventName();
    await createConnector(engine, { url: dest.url, sourceEvent: name, maxInFlight: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await ingest(engine, name, { i })).deliveries[0]!.id);
    for (const id of ids) await settled(id, "SUCCESS");
    expect(dest.received).toHaveLength(8);
    // Respected, and reached: with eight waiting and each answer taking 40 ms, two are in flight at once.
    expect(peak).toBe(2);
    for (const id of ids) expect((await deliveryRow(engine, id)).attempts).toBe(1);
  });
});
