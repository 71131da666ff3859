import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { attemptRows, deliveryRow, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";
const LOOP = "{% ($f := function($n){$f($n+1)}; $f(0)) %}";

describe.each(testDrivers())("expression deliveries and preview on %s", (driver) => {
  let engine: TestEngine;
  let destination: Awaited<ReturnType<typeof startDestination>>;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
    destination = await startDestination((_req, _n, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    worker = deliveryWorker(engine.ctx, { pollMs: 50 });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    await destination?.close();
    await engine?.close();
  });

  async function putConnector(body: Record<string, unknown>) {
    const res = await engine.api("PUT", `${BASE}/connectors`, {
      body: { destination: { url: `${destination.url}/in`, method: "POST" }, retryBackoffBaseMs: 10, ...body },
    });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; version: number; filter: unknown };
  }

  describe("expression deliveries", () => {
    it("deliver the computed request to a real receiver and store it with secrets masked", async () => {
      const name = uniqueEventName("expr");
      const connector = await putConnector({
        name: "expression mapping",
        sourceEvent: name,
        destination: {
          url: `{% '${destination.url}/orders/' & $lowercase(payload.orderId) %}`,
          method: "POST",
          headers: {
            Authorization: "{% 'Basic ' & $base64encode($secret('user') & ':' & $secret('pass')) %}",
            "X-Order-Total": "{% $string(payload.total / 100) %}",
          },
          query: { day: "{% $formatDate(time, '[Y0001]-[M01]-[D01]', 'America/Sao_Paulo') %}" },
        },
        mapping: {
          amount: "{% payload.total / 100 %}",
          currency: "{% $uppercase(payload.currency) %}",
          customer: "{% payload.customer.first & ' ' & payload.customer.last %}",
          phone: "{% $default(payload.customer.phone, '+55 11 0000-0000') %}",
          lines: "{% payload.items.{ 'sku': sku, 'quantity': qty } %}",
          tier: "{% $lookup({'gold': 1, 'silver': 2}, payload.customer.tier) %}",
          signature: "{% $hmacSha256(payload.orderId, $secret('pass')) %}",
          eventId: "$.id",
          note: "Order <<event.payload.orderId>>",
        },
      });
      for (const [secretName, value] of [
        ["user", "erp-user"],
        ["pass", "erp-pass-9f8e7d"],
      ]) {
        const res = await engine.api("POST", `${BASE}/connectors/${connector.id}/secret`, {
          body: { name: secretName, value },
        });
        expect(res.status).toBe(200);
      }
      const event = await engine.api("POST", "/v1/events", {
        token: engine.tokens.ingest,
        body: {
          name,
          time: "2026-03-01T02:30:00Z",
          payload: {
            orderId: "ORD-77",
            total: 12345,
            currency: "brl",
            customer: { first: "Ada", last: "Lovelace", phone: null, tier: "gold" },
            items: [
              { sku: "A", qty: 1 },
              { sku: "B", qty: 3 },
            ],
          },
        },
      });
      expect(event.status, event.text).toBe(202);
      const deliveryId = event.json.deliveries[0].id as string;
      await waitFor(async () => (await deliveryRow(engine, deliveryId)).status === "SUCCESS");

      const received = destination.received.find((r) => r.url.startsWith("/orders/ord-77"));
      expect(received).toBeDefined();
      expect(received?.url).toBe("/orders/ord-77?day=2026-02-28");
      expect(received?.headers.authorization).toBe(
        `Basic ${Buffer.from("erp-user:erp-pass-9f8e7d").toString("base64")}`,
      );
      expect(received?.headers["x-order-total"]).toBe("123.45");
      const { createHmac } = await import("node:crypto");
      expect(JSON.parse(received?.body ?? "")).toEqual({
        amount: 123.45,
        currency: "BRL",
        customer: "Ada Lovelace",
        phone: "+55 11 0000-0000",
        lines: [
          { sku: "A", quantity: 1 },
          { sku: "B", quantity: 3 },
        ],
        tier: 1,
        signature: createHmac("sha256", "erp-pass-9f8e7d").update("ORD-77").digest("hex"),
        eventId: event.json.id,
        note: "Order ORD-77",
      });

      const [attempt] = await attemptRows(engine, deliveryId);
      const stored = attempt?.request as { url: string; headers: Record<string, string>; body: string };
      expect(stored.headers.Authorization).toBe("••••••");
      expect(JSON.parse(stored.body).signature).toBe("••••••");
      expect(JSON.parse(stored.body).amount).toBe(123.45);
      expect(JSON.stringify(attempt)).not.toContain(Buffer.from("erp-user:erp-pass-9f8e7d").toString("base64"));
    });

    it("a runtime error or a runaway expression makes the delivery FAILED at once, naming the field", async () => {
      const name = uniqueEventName("fail");
      const cast = await putConnector({
        name: "bad cast",
        sourceEvent: name,
        mapping: { order: { total: "{% $number(payload.text) %}" } },
        retryMaxAttempts: 5,
      });
      const runaway = await putConnector({ name: "runaway", sourceEvent: name, mapping: { loop: LOOP } });
      const event = await ingest(engine, name, { text: "twelve" });
      const byConnector = Object.fromEntries(event.deliveries.map((d) => [d.connectorId, d.id]));
      const castRow = await waitFor(async () => {
        const row = await deliveryRow(engine, byConnector[cast.id] as string);
        return row.status === "FAILED" && row;
      });
      expect(castRow.attempts).toBe(1);
      expect(castRow.lastError).toMatch(
        /^Mapping error \(EXPRESSION_ERROR\): mapping\.order\.total: Unable to cast value to a number: "twelve" at character \d+/,
      );
      const loopRow = await waitFor(async () => {
        const row = await deliveryRow(engine, byConnector[runaway.id] as string);
        return row.status === "FAILED" && row;
      });
      expect(loopRow.lastError).toBe(
        "Mapping error (LIMIT_EXCEEDED): mapping.loop: the expression ran longer than its time budget (50 ms)",
      );
      expect(destination.received.some((r) => r.body.includes("twelve"))).toBe(false);
    });
  });

  describe("preview", () => {
    it("shows the filter outcome, the computed request and a runaway expression's error", async () => {
      const name = uniqueEventName("preview");
      const saved = await putConnector({
        name: "preview me",
        sourceEvent: name,
        mapping: { amount: "{% payload.total / 100 %}", auth: "{% $uppercase($secret('token')) %}" },
        filter: { all: [{ path: "$.payload.country", op: "eq", value: "BR" }] },
      });
      await engine.api("POST", `${BASE}/connectors/${saved.id}/secret`, {
        body: { name: "token", value: "tok-abc-123" },
      });
      const rejected = await engine.api("POST", `${BASE}/preview`, {
        body: { connectorId: saved.id, event: { name, payload: { country: "CL", total: 250 } } },
      });
      expect(rejected.status, rejected.text).toBe(200);
      expect(rejected.json.filter).toEqual({
        matched: false,
        reason: 'all[0] ($.payload.country eq "BR") failed: saw "CL"',
      });
      expect(JSON.parse(rejected.json.request.body)).toEqual({ amount: 2.5, auth: "••••••" });
      expect(rejected.text).not.toContain("TOK-ABC-123");
      const matched = await engine.api("POST", `${BASE}/preview`, {
        body: { connectorId: saved.id, event: { name, payload: { country: "BR", total: 1 } } },
      });
      expect(matched.json.filter.matched).toBe(true);

      const draft = await engine.api("POST", `${BASE}/preview`, {
        body: {
          connector: {
            name: "draft",
            sourceEvent: name,
            destination: { url: "https://erp.example.com/x", method: "POST" },
            mapping: { loop: LOOP },
          },
          event: { name, payload: {} },
        },
      });
      expectEnvelope(draft, 422, "UNPROCESSABLE");
      expect(draft.json.error.message).toBe("mapping.loop: the expression ran longer than its time budget (50 ms)");
      expect(draft.json.error.details).toEqual({ mappingError: "LIMIT_EXCEEDED" });
    });
  });
});
