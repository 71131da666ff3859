import { randomBytes } from "node:crypto";
import { startReceiver } from "@ib/testing";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundService } from "../src/inbound/service.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { deliveryRow, ingest } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";
import { captureLogs, expectationFor, listExpectations } from "./reconciliation-fixtures.ts";

const BASE = "/admin/integration-builder";
const stripe = new Stripe("sk_test_unused");

/**
 * The worked example of docs/reconciliation.md: a connector from the `stripe-payment-intent` preset (its
 * `expect` as shipped) creates a PaymentIntent on a stand-in for api.stripe.com; Stripe's
 * payment_intent.succeeded webhook, signed with the `stripe` library, comes in through a `stripe` source
 * mapped to payment.confirmed, and the expectation becomes OBSERVED (MISMATCH when the amount differs).
 */
describe.each(testDrivers())("Stripe preset reconciliation on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  let inbound: ReturnType<typeof inboundService>;
  let stripeApi: Awaited<ReturnType<typeof startReceiver>>;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
    logs = captureLogs(engine);
    worker = deliveryWorker(engine.ctx);
    inbound = inboundService(engine.ctx);
    await worker.start();
    await inbound.start();
    // Stripe's API as far as this flow needs it: a form-encoded create answered with the PaymentIntent.
    stripeApi = await startReceiver((req, _n, res) => {
      const form = new URLSearchParams(req.body);
      const intent = {
        id: `pi_${randomBytes(8).toString("hex")}`,
        object: "payment_intent",
        amount: Number(form.get("amount")),
        currency: form.get("currency"),
        metadata: { orderId: form.get("metadata[orderId]") },
        status: "requires_payment_method",
      };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(intent));
    });
  });
  afterAll(async () => {
    await inbound?.stop(1000);
    await worker?.stop(2000);
    await stripeApi?.close();
    await engine?.close();
  });

  async function stripeSource() {
    const secret = `whsec_${randomBytes(12).toString("hex")}`;
    const res = await engine.api("PUT", `${BASE}/sources`, {
      body: { name: "Stripe", verifier: "stripe", eventMapping: { "payment_intent.succeeded": "payment.confirmed" } },
    });
    const id = res.json.source.id as string;
    await engine.api("POST", `${BASE}/sources/${id}/secret`, { body: { name: "signingSecret", value: secret } });
    return (event: unknown) => {
      const payload = JSON.stringify(event);
      return engine.api("POST", `/v1/webhooks/${id}`, {
        token: null,
        raw: payload,
        headers: {
          "content-type": "application/json",
          "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret }),
        },
      });
    };
  }

  const succeeded = (intent: { id: string; amount: number; currency: string }, received = intent.amount) => ({
    id: `evt_${randomBytes(8).toString("hex")}`,
    object: "event",
    type: "payment_intent.succeeded",
    created: Math.floor(Date.now() / 1000),
    data: { object: { ...intent, object: "payment_intent", amount_received: received, status: "succeeded" } },
  });

  it("from the preset to OBSERVED through a signed payment_intent.succeeded webhook; MISMATCH on another amount", async () => {
    const created = await engine.api("POST", `${BASE}/presets/stripe-payment-intent/connectors`, {
      body: {
        secrets: { secretKey: "sk_test_reconciliation" },
        overrides: {
          sourceEvent: `payment.requested.${randomBytes(3).toString("hex")}`,
          destination: { url: `${stripeApi.url}/v1/payment_intents` },
        },
      },
    });
    expect(created.status).toBe(201);
    const connector = created.json.connector;
    expect(connector.expect).toMatchObject({ eventName: "payment.confirmed", key: "$.response.body.id" });
    const send = await stripeSource();

    const paid = [];
    for (const [orderId, amountCents] of [
      ["ord_1", 4990],
      ["ord_2", 1500],
    ] as const) {
      const res = await ingest(engine, connector.sourceEvent, { orderId, amountCents, currency: "usd" });
      const deliveryId = res.deliveries[0]!.id;
      await waitFor(async () => (await deliveryRow(engine, deliveryId)).status === "SUCCESS");
      paid.push(await expectationFor(engine, connector.id, deliveryId));
    }
    const [first, second] = paid as Record<string, any>[];
    expect(first).toMatchObject({
      status: "OPEN",
      key: expect.stringMatching(/^pi_/),
      expected: [{ value: 4990 }, { value: "usd" }],
    });

    const intentOf = (e: Record<string, any>) => ({ id: e.key, amount: e.expected[0].value, currency: "usd" });
    expect((await send(succeeded(intentOf(first!)))).status).toBe(200);
    expect((await send(succeeded(intentOf(second!), 1000))).status).toBe(200);

    const closed = await waitFor(
      async () => {
        const items = await listExpectations(engine, { connectorId: connector.id });
        return items.every((e) => e.status !== "OPEN") ? items : null;
      },
      { message: "both expectations to close" },
    );
    const byId = new Map(closed.map((e) => [e.id, e]));
    expect(byId.get(first!.id)).toMatchObject({ status: "OBSERVED", differences: [] });
    expect(byId.get(second!.id)).toMatchObject({
      status: "MISMATCH",
      differences: [0],
      observed: [{ value: 1000 }, { value: "usd" }],
    });
    const observedEvent = (await engine.api("GET", `${BASE}/reconciliation/${first!.id}`)).json.observedEvent;
    expect(observedEvent).toMatchObject({ name: "payment.confirmed", payload: { type: "payment_intent.succeeded" } });
    expect(logs.alerts("expectation_mismatch", second!.id)).toHaveLength(1);
  });
});
