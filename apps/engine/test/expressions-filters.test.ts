import { auditLog, connectors, deliveries } from "@ib/db";
import { count, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundService } from "../src/inbound/service.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { attemptRows, deliveryRow, ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";
const LOOP = "{% ($f := function($n){$f($n+1)}; $f(0)) %}";

describe.each(testDrivers())("expressions and filters on %s", (driver) => {
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

  async function deliveriesOf(eventId: string) {
    return engine.ctx.db
      .select({ connectorId: deliveries.connectorId, status: deliveries.status, lastError: deliveries.lastError })
      .from(deliveries)
      .where(eq(deliveries.eventId, eventId));
  }

  describe("filters at ingest", () => {
    it("an event a filter rejects gets no delivery for that connector and is not listed", async () => {
      const name = uniqueEventName("order");
      const brazil = await putConnector({
        name: "BR only",
        sourceEvent: name,
        filter: { all: [{ path: "$.payload.country", op: "eq", value: "BR" }] },
      });
      const everything = await putConnector({ name: "no filter", sourceEvent: name });
      const big = await putConnector({
        name: "big orders",
        sourceEvent: name,
        filter: { expression: "{% payload.amount > 1000 %}" },
      });
      const nested = await putConnector({
        name: "BR or AR, not test",
        sourceEvent: name,
        filter: {
          all: [
            { any: [{ path: "$.payload.country", op: "in", value: ["BR", "AR"] }] },
            { not: { path: "$.payload.email", op: "endsWith", value: "@test.example" } },
            { path: "$.payload.amount", op: "gte", value: 10 },
          ],
        },
      });
      expect(brazil.filter).toEqual({ all: [{ path: "$.payload.country", op: "eq", value: "BR" }] });

      const ar = await ingest(engine, name, { country: "AR", amount: 500, email: "a@shop.example" });
      expect(ar.deliveries.map((d) => d.connectorId).sort()).toEqual([everything.id, nested.id].sort());
      expect((await deliveriesOf(ar.id)).map((d) => d.connectorId).sort()).toEqual([everything.id, nested.id].sort());

      const br = await ingest(
        engine,
        name,
        { country: "BR", amount: 5000, email: "b@test.example" },
        `evt_br_${driver}`,
      );
      expect(br.deliveries.map((d) => d.connectorId).sort()).toEqual([brazil.id, everything.id, big.id].sort());

      // A repeat answers with the original deliveries and creates none.
      const again = await engine.api("POST", "/v1/events", {
        token: engine.tokens.ingest,
        body: { id: br.id, name, payload: { country: "AR", amount: 1 } },
      });
      expect(again.status).toBe(200);
      expect(again.json.deliveries.map((d: { id: string }) => d.id).sort()).toEqual(
        br.deliveries.map((d) => d.id).sort(),
      );
    });

    it("the batch route filters per event", async () => {
      const name = uniqueEventName("batch");
      const brazil = await putConnector({
        name: "BR only (batch)",
        sourceEvent: name,
        filter: { any: [{ path: "$.payload.country", op: "eq", value: "BR" }] },
      });
      const res = await engine.api("POST", "/v1/events/batch", {
        token: engine.tokens.ingest,
        body: {
          events: [
            { name, payload: { country: "BR" } },
            { name, payload: { country: "CL" } },
            { name, payload: { country: "BR" } },
          ],
        },
      });
      expect(res.status, res.text).toBe(202);
      const counts = res.json.results.map((r: { deliveries: unknown[] }) => r.deliveries.length);
      expect(counts).toEqual([1, 0, 1]);
      expect(res.json.results[0].deliveries[0].connectorId).toBe(brazil.id);
    });

    it("an edit of the filter applies to the next event (compiled per version)", async () => {
      const name = uniqueEventName("edit");
      const created = await putConnector({
        name: "editable",
        sourceEvent: name,
        filter: { all: [{ path: "$.payload.n", op: "gt", value: 10 }] },
      });
      expect((await ingest(engine, name, { n: 5 })).deliveries).toHaveLength(0);
      const current = (await engine.api("GET", `${BASE}/connectors/${created.id}`)).json;
      const { createdAt: _c, updatedAt: _u, secrets: _s, disabledReason: _r, disabledAt: _a, ...fields } = current;
      const updated = await engine.api("PUT", `${BASE}/connectors`, {
        body: { ...fields, filter: { all: [{ path: "$.payload.n", op: "lt", value: 10 }] } },
      });
      expect(updated.status, updated.text).toBe(200);
      expect((await ingest(engine, name, { n: 5 })).deliveries).toHaveLength(1);
      const cleared = await engine.api("PUT", `${BASE}/connectors`, {
        body: { ...fields, version: updated.json.version, filter: null },
      });
      expect(cleared.status, cleared.text).toBe(200);
      expect(cleared.json.filter).toBeNull();
      expect((await ingest(engine, name, { n: 50 })).deliveries).toHaveLength(1);
    });

    it("a filter expression that fails gives a FAILED delivery saying why, not a silent drop", async () => {
      const name = uniqueEventName("broken");
      const broken = await putConnector({ name: "runaway filter", sourceEvent: name, filter: { expression: LOOP } });
      const event = await ingest(engine, name, { n: 1 });
      expect(event.deliveries.map((d) => d.connectorId)).toEqual([broken.id]);
      const [row] = await deliveriesOf(event.id);
      expect(row?.status).toBe("FAILED");
      expect(row?.lastError).toMatch(
        /^Filter error: filter\.expression: the expression ran longer than its time budget/,
      );
    });

    it("inbound webhook events are filtered the same way", async () => {
      const service = inboundService(engine.ctx);
      await service.start();
      try {
        const internal = uniqueEventName("payment.confirmed");
        const large = await putConnector({
          name: "large payments",
          sourceEvent: internal,
          filter: { all: [{ path: "$.payload.data.object.amount", op: "gte", value: 10_000 }] },
        });
        const secret = "whsec_filter_test";
        const source = await engine.api("PUT", `${BASE}/sources`, {
          body: { name: "Stripe", verifier: "stripe", eventMapping: { "payment_intent.succeeded": internal } },
        });
        const sourceId = source.json.source.id as string;
        await engine.api("POST", `${BASE}/sources/${sourceId}/secret`, {
          body: { name: "signingSecret", value: secret },
        });
        const stripe = new Stripe("sk_test_unused");
        const send = async (id: string, amount: number) => {
          const payload = JSON.stringify({
            id,
            object: "event",
            type: "payment_intent.succeeded",
            data: { object: { id: `pi_${id}`, amount } },
          });
          const res = await engine.api("POST", `/v1/webhooks/${sourceId}`, {
            token: null,
            raw: payload,
            headers: {
              "content-type": "application/json",
              "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret }),
            },
          });
          expect(res.status, res.text).toBe(200);
        };
        await send(`evt_small_${driver}`, 500);
        await send(`evt_large_${driver}`, 25_000);
        const rows = await waitFor(async () => {
          const found = await engine.ctx.db
            .select({ id: deliveries.id })
            .from(deliveries)
            .where(eq(deliveries.connectorId, large.id));
          return found.length > 0 && found;
        });
        // Give the small one the same chance to (wrongly) arrive before counting.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const all = await engine.ctx.db
          .select({ id: deliveries.id })
          .from(deliveries)
          .where(eq(deliveries.connectorId, large.id));
        expect(rows.length).toBe(1);
        expect(all.length).toBe(1);
      } finally {
        await service.stop(1000);
      }
    });
  });

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

  describe("bad input", () => {
    it.each<[string, Record<string, unknown>, string, RegExp]>([
      [
        "syntax error",
        { mapping: { total: "{% payload.total * %}" } },
        "mapping.total",
        /syntax error at character \d+/,
      ],
      ["unknown function", { mapping: { a: "{% $toUpper(name) %}" } }, "mapping.a", /unknown function \$toUpper/],
      [
        "expression over 16 KiB",
        { mapping: { a: `{% '${"x".repeat(16 * 1024)}' %}` } },
        "mapping.a",
        /the limit is 16384/,
      ],
      [
        "syntax error in a header",
        { destination: { url: "https://a.example", method: "POST", headers: { "X-A": "{% ( %}" } } },
        "destination.headers.X-A",
        /syntax error/,
      ],
      [
        "unknown filter op",
        { filter: { all: [{ path: "$.payload.x", op: "regex", value: "a" }] } },
        "filter.all.0.op",
        /unknown op "regex"/,
      ],
      [
        "filter path not a JSONPath",
        { filter: { all: [{ path: "payload.x", op: "eq", value: "a" }] } },
        "filter.all.0.path",
        /must be a JSONPath/,
      ],
      [
        "in with a string",
        { filter: { any: [{ path: "$.payload.x", op: "in", value: "BR" }] } },
        "filter.any.0.value",
        /takes a list of values/,
      ],
      [
        "filter nested 9 deep",
        {
          filter: Array.from({ length: 8 }).reduce<unknown>((inner) => ({ any: [inner] }), {
            all: [{ path: "$.x", op: "exists" }],
          }),
        },
        "filter.any.0.any.0.any.0.any.0.any.0.any.0.any.0.any.0",
        /nested more than 8 levels/,
      ],
      [
        "filter expression reading a secret",
        { filter: { expression: "{% $secret('k') = 'x' %}" } },
        "filter.expression",
        /cannot read secrets/,
      ],
    ])("%s → 400 naming the field, nothing stored", async (_name, patch, path, message) => {
      const before = await counts();
      const res = await engine.api("PUT", `${BASE}/connectors`, {
        body: {
          name: "bad",
          sourceEvent: uniqueEventName("bad"),
          destination: { url: "https://a.example", method: "POST" },
          ...patch,
        },
      });
      expectEnvelope(res, 400, "VALIDATION_FAILED");
      const issue = res.json.error.details.issues.find((i: { path: string }) => i.path === path);
      expect(issue, JSON.stringify(res.json.error.details.issues)).toBeDefined();
      expect(issue.message).toMatch(message);
      expect(res.json.error.message).toContain(path);
      expect(await counts()).toEqual(before);
    });

    it("saving a connector whose expression would run away is allowed (it fails when delivered)", async () => {
      await putConnector({ name: "saved runaway", sourceEvent: uniqueEventName("ok"), mapping: { loop: LOOP } });
    });

    async function counts() {
      const [c] = await engine.ctx.db.select({ n: count() }).from(connectors);
      const [a] = await engine.ctx.db.select({ n: count() }).from(auditLog);
      return { connectors: c?.n, audit: a?.n };
    }
  });
});
