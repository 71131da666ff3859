// A payload keeps the key order it was received in (issue 14 item 5): events.payload is json, not jsonb. From
// every way in (POST /v1/events, the batch, a CloudEvent, an inbound webhook) to every way out (GET one
// event, the list the admin's "Use a recent event" reads, a delivery's body, a replay's), on both databases;
// and the column still refuses what jsonb could not hold.
import { events, inboundWebhooks } from "@ib/db";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { processInboundWebhooks } from "../src/inbound/process-webhooks.ts";
import { replayService } from "../src/verbs/replays/replay-service.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";
// No order a sort would give: not by name, not by length (jsonb's), nested objects and arrays of objects.
const PAYLOAD = '{"zeta":1,"b":{"y":true,"aa":null,"m":[3,1]},"alpha":"a","mid":[{"z":1,"a":2}],"id":"ord_7"}';
const JSON_BODY = { "content-type": "application/json" };

describe.each(testDrivers())("an event payload's key order on %s", (driver) => {
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

  /** The payload as GET /events/:id and the recent-events list show it, as JSON text. */
  async function shown(name: string, id: string) {
    const one = await engine.api("GET", `${BASE}/events/${id}`);
    expect(one.status, one.text).toBe(200);
    const list = await engine.api("GET", `${BASE}/events?name=${encodeURIComponent(name)}&limit=10`);
    expect(list.status, list.text).toBe(200);
    const listed = list.json.events.find((e: { id: string }) => e.id === id);
    return {
      one: JSON.stringify(one.json.payload ?? one.json.event?.payload),
      listed: JSON.stringify(listed?.payload),
    };
  }

  it("POST /v1/events, the batch and a structured CloudEvent: GET and the list give the keys in the order sent", async () => {
    const name = uniqueEventName("order");
    const single = await engine.api("POST", "/v1/events", {
      token: engine.tokens.ingest,
      headers: JSON_BODY,
      raw: `{"name":"${name}","payload":${PAYLOAD}}`,
    });
    expect(single.status, single.text).toBe(202);
    expect(await shown(name, single.json.id)).toEqual({ one: PAYLOAD, listed: PAYLOAD });

    const batch = await engine.api("POST", "/v1/events/batch", {
      token: engine.tokens.ingest,
      headers: JSON_BODY,
      raw: `[{"name":"${name}","payload":${PAYLOAD}},{"name":"${name}","payload":{"b":2,"a":1}}]`,
    });
    expect(batch.status, batch.text).toBeLessThan(300);
    const [first, second] = batch.json.results as { id: string }[];
    expect(await shown(name, first!.id)).toEqual({ one: PAYLOAD, listed: PAYLOAD });
    expect((await shown(name, second!.id)).one).toBe('{"b":2,"a":1}');

    const ceId = `ce_${Date.now()}`;
    const ce = await engine.api("POST", "/v1/events", {
      token: engine.tokens.ingest,
      headers: { "content-type": "application/cloudevents+json" },
      raw: `{"specversion":"1.0","id":"${ceId}","type":"${name}","source":"/shop","data":${PAYLOAD}}`,
    });
    expect(ce.status, ce.text).toBe(202);
    expect(await shown(name, ceId)).toEqual({ one: PAYLOAD, listed: PAYLOAD });
  });

  it("a delivery's body built from the payload keeps its order, delivered live and replayed from the stored event", async () => {
    const name = uniqueEventName("order");
    const destination = await startDestination();
    try {
      const created = await engine.api("PUT", `${BASE}/connectors`, {
        body: {
          name: "Order keeper",
          sourceEvent: name,
          destination: { url: `${destination.url}/orders`, method: "POST" },
          mapping: { order: "$.payload", firstLine: "$.payload.mid[0]", note: "Order <<event.payload.id>>" },
        },
      });
      expect(created.status, created.text).toBe(201);
      const sent = await engine.api("POST", "/v1/events", {
        token: engine.tokens.ingest,
        headers: JSON_BODY,
        raw: `{"name":"${name}","payload":${PAYLOAD}}`,
      });
      expect(sent.status, sent.text).toBe(202);
      const expected = `{"order":${PAYLOAD},"firstLine":{"z":1,"a":2},"note":"Order ord_7"}`;
      await waitFor(() => destination.received.length === 1, { message: "the live delivery" });
      expect(destination.received[0]?.body).toBe(expected);

      const replay = await engine.api("POST", `${BASE}/replays`, {
        body: { connectorId: created.json.id, eventId: sent.json.id },
      });
      expect(replay.status, replay.text).toBe(202);
      await replayService(engine.ctx).runOnce();
      await waitFor(() => destination.received.length === 2, { message: "the replayed delivery" });
      expect(destination.received[1]?.body).toBe(expected);
    } finally {
      await destination.close();
    }
  });

  it("an inbound webhook's event keeps the order of the body the provider sent", async () => {
    const name = uniqueEventName("payment");
    const secret = "whsec_order_test";
    const source = await engine.api("PUT", `${BASE}/sources`, {
      body: { name: "Stripe", verifier: "stripe", eventName: name },
    });
    expect(source.status, source.text).toBe(201);
    const sourceId = source.json.source.id as string;
    await engine.api("POST", `${BASE}/sources/${sourceId}/secret`, { body: { name: "signingSecret", value: secret } });
    const body = `{"type":"payment_intent.succeeded","id":"evt_${Date.now()}","data":${PAYLOAD}}`;
    const received = await engine.api("POST", `/v1/webhooks/${sourceId}`, {
      token: null,
      raw: body,
      headers: {
        "content-type": "application/json",
        "stripe-signature": new Stripe("sk_test_unused").webhooks.generateTestHeaderString({ payload: body, secret }),
      },
    });
    expect(received.status, received.text).toBe(200);
    await processInboundWebhooks({ ctx: systemContext(engine.ctx) });
    const [webhook] = await engine.ctx.db
      .select()
      .from(inboundWebhooks)
      .where(eq(inboundWebhooks.id, received.json.id));
    expect(webhook?.status).toBe("PROCESSED");
    expect(await shown(name, webhook!.eventId!)).toEqual({ one: body, listed: body });
  });

  it("the column refuses at insert what jsonb could not hold (the backstop behind every ingest path's check)", async () => {
    const row = (id: string, payload: unknown) => ({ id, name: uniqueEventName("raw"), payload });
    const stamp = Date.now();
    await expect(engine.ctx.db.insert(events).values(row(`nul_${stamp}`, { a: "x\u0000" }))).rejects.toThrow();
    await expect(engine.ctx.db.insert(events).values(row(`sur_${stamp}`, { a: "\ud800" }))).rejects.toThrow();
    // The text \u0000 (a backslash, then u0000), a surrogate pair and SQL null are stored.
    await engine.ctx.db.insert(events).values(row(`txt_${stamp}`, { b: "C:\\u0000", a: "\ud83d\ude00" }));
    await engine.ctx.db.insert(events).values(row(`nil_${stamp}`, null));
    const [stored] = await engine.ctx.db
      .select()
      .from(events)
      .where(eq(events.id, `txt_${stamp}`));
    expect(JSON.stringify(stored?.payload)).toBe('{"b":"C:\\\\u0000","a":"😀"}');
  });
});
