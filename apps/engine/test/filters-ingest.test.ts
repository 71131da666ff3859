import { auditLog, connectors, deliveries } from "@ib/db";
import { count, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundService } from "../src/inbound/service.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { ingest, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";
const LOOP = "{% ($f := function($n){$f($n+1)}; $f(0)) %}";

describe.each(testDrivers())("connector filters at ingest, and bad input on %s", (driver) => {
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
