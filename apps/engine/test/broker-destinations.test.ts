// Connectors whose destination is RabbitMQ or NATS JetStream (DESIGN §13), against the real brokers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import {
  AMQP_URL,
  type AmqpFixture,
  amqpFixture,
  NATS_URL,
  type NatsFixture,
  natsFixture,
  rabbitVhost,
} from "./broker-fixtures.ts";
import { attemptRows, deliveryRow, ingest, setSecret, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";

describe.each(testDrivers())("broker destinations on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  let amqp: AmqpFixture;
  let nats: NatsFixture;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
    worker = deliveryWorker(engine.ctx);
    await worker.start();
    amqp = await amqpFixture();
    nats = await natsFixture();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    await amqp?.close();
    await nats?.close();
    await engine?.close();
  });

  async function saveConnector(body: Record<string, unknown>) {
    const res = await engine.api("PUT", `${BASE}/connectors`, {
      body: { name: `broker ${body.sourceEvent}`, retryMaxAttempts: 3, retryBackoffBaseMs: 20, ...body },
    });
    if (res.status !== 201) throw new Error(`connector not saved: ${res.status} ${res.text}`);
    return res.json as { id: string };
  }
  const settled = (id: string, status: string) =>
    waitFor(async () => (await deliveryRow(engine, id)).status === status, { message: `${id} to be ${status}` });

  it("AMQP: publishes the mapped body to the exchange, persistent, messageId = delivery id, on the broker's confirm", async () => {
    const { exchange, queue } = await amqp.exchangeWithQueue("order.#");
    const sourceEvent = uniqueEventName("order");
    const connector = await saveConnector({
      sourceEvent,
      destination: {
        type: "amqp",
        url: "amqp://guest:<<secret.brokerPassword>>@127.0.0.1:5672",
        exchange,
        routingKey: "order.<<event.payload.country>>.created",
        headers: { "x-tenant": "<<event.payload.tenant>>" },
      },
      mapping: { orderId: "$.payload.orderId", eventId: "$.id" },
    });
    await setSecret(engine, connector.id, "brokerPassword", "guest");
    const event = await ingest(engine, sourceEvent, { orderId: "ord_7", country: "br", tenant: "acme" });
    const deliveryId = event.deliveries[0]!.id;
    await settled(deliveryId, "SUCCESS");

    const [msg, ...rest] = await amqp.drain(queue);
    expect(rest).toEqual([]);
    expect(msg!.fields.routingKey).toBe("order.br.created");
    expect(msg!.properties).toMatchObject({ messageId: deliveryId, deliveryMode: 2, contentType: "application/json" });
    expect(msg!.properties.headers).toMatchObject({ "x-tenant": "acme" });
    expect(JSON.parse(msg!.content.toString())).toEqual({ orderId: "ord_7", eventId: event.id });

    const [attempt] = await attemptRows(engine, deliveryId);
    expect(attempt!.request).toMatchObject({
      method: "PUBLISH",
      // The password is a secret, masked wherever its value appears (guest's password is "guest").
      url: expect.stringMatching(/^amqp:\/\/.*:••••••@127\.0\.0\.1:5672$/),
      transport: "amqp",
      exchange,
      routingKey: "order.br.created",
      headers: { "x-tenant": "acme" },
    });
    expect(attempt!.response).toMatchObject({ published: { confirm: "ack", exchange } });
    expect(JSON.stringify(attempt)).not.toContain(":guest@");
  });

  it("AMQP: an unroutable message and a missing exchange fail for good, with the reason", async () => {
    const { exchange } = await amqp.exchangeWithQueue("bound.only");
    const unroutable = await saveConnector({
      sourceEvent: uniqueEventName(),
      destination: { type: "amqp", url: AMQP_URL, exchange, routingKey: "nobody.listens" },
    });
    const missing = await saveConnector({
      sourceEvent: uniqueEventName(),
      destination: { type: "amqp", url: AMQP_URL, exchange: `${exchange}.missing`, routingKey: "x" },
    });
    const a = await ingest(engine, (await connectorRow(unroutable.id)).sourceEvent, { n: 1 });
    const b = await ingest(engine, (await connectorRow(missing.id)).sourceEvent, { n: 2 });
    await settled(a.deliveries[0]!.id, "FAILED");
    await settled(b.deliveries[0]!.id, "FAILED");
    expect((await deliveryRow(engine, a.deliveries[0]!.id)).lastError).toMatch(/unroutable.*NO_ROUTE/);
    expect((await deliveryRow(engine, b.deliveries[0]!.id)).lastError).toMatch(/no exchange/);
    expect((await deliveryRow(engine, a.deliveries[0]!.id)).attempts).toBe(1);
  });

  it("AMQP: survives the broker closing its connections (rabbitmqctl close_all_connections): every delivery lands, none in the DLQ", async () => {
    const vhost = await rabbitVhost();
    const fixture = await amqpFixture(vhost.url);
    try {
      const { exchange, queue } = await fixture.exchangeWithQueue("#");
      const sourceEvent = uniqueEventName();
      const connector = await saveConnector({
        sourceEvent,
        retryMaxAttempts: 10,
        retryBackoffBaseMs: 50,
        retryBackoffMaxMs: 500,
        timeoutMs: 2000,
        destination: { type: "amqp", url: vhost.url, exchange, routingKey: "drop.test" },
      });
      const total = 300;
      const ids: string[] = [];
      for (let i = 0; i < total; i++) ids.push((await ingest(engine, sourceEvent, { n: i })).deliveries[0]!.id);
      // Mid-run, the broker drops the engine's connection (and the fixture's: it comes back below).
      await waitFor(async () => (await fixture.count(queue).catch(() => 0)) > 20, { message: "some to land" });
      await vhost.closeAllConnections();
      await waitFor(async () => (await statusCounts(connector.id)).SUCCESS === total, {
        timeoutMs: 60_000,
        message: "every delivery to succeed",
      });
      const counts = await statusCounts(connector.id);
      expect(counts.DLQ ?? 0).toBe(0);
      expect(counts.FAILED ?? 0).toBe(0);
      // At least once: every delivery is in the queue (one whose confirm was lost with the connection may
      // be there twice, under the same messageId for consumers to de-duplicate).
      const after = await amqpFixture(vhost.url);
      const got = new Set((await after.drain(queue)).map((m) => m.properties.messageId));
      await after.close();
      expect(ids.filter((id) => !got.has(id))).toEqual([]);
    } finally {
      await fixture.close().catch(() => {});
      await vhost.delete();
    }
  });

  it("NATS: publishes to the subject with Nats-Msg-Id = delivery id; the stream's ack is success", async () => {
    const stream = await nats.stream();
    const sourceEvent = uniqueEventName();
    const connector = await saveConnector({
      sourceEvent,
      destination: {
        type: "nats",
        servers: NATS_URL,
        subject: `${stream.prefix}.<<event.name>>`,
        headers: { "x-order": "<<event.payload.orderId>>" },
      },
    });
    const event = await ingest(engine, sourceEvent, { orderId: "ord_9" });
    const deliveryId = event.deliveries[0]!.id;
    await settled(deliveryId, "SUCCESS");
    const stored = await nats.jsm.streams.getMessage(stream.name, { seq: 1 });
    expect(stored?.subject).toBe(`${stream.prefix}.${sourceEvent}`);
    expect(stored?.header.get("Nats-Msg-Id")).toBe(deliveryId);
    expect(stored?.header.get("x-order")).toBe("ord_9");
    expect(stored?.json()).toMatchObject({ id: event.id, name: sourceEvent, payload: { orderId: "ord_9" } });
    const [attempt] = await attemptRows(engine, deliveryId);
    expect(attempt!.request).toMatchObject({ method: "PUBLISH", transport: "nats", subject: stored?.subject });
    expect(attempt!.response).toMatchObject({ published: { stream: stream.name, seq: 1, duplicate: false } });
    expect(connector.id).toMatch(/^con_/);
  });

  it("NATS: no stream for the subject fails for good; a retry of a delivery is de-duplicated by the stream", async () => {
    const stream = await nats.stream();
    const nowhere = await saveConnector({
      sourceEvent: uniqueEventName(),
      destination: { type: "nats", servers: NATS_URL, subject: `nowhere.${stream.prefix}.x` },
    });
    const event = await ingest(engine, (await connectorRow(nowhere.id)).sourceEvent, {});
    await settled(event.deliveries[0]!.id, "FAILED");
    expect((await deliveryRow(engine, event.deliveries[0]!.id)).lastError).toMatch(/no JetStream stream/);

    // The same delivery published twice (a retry after a lost ack) is one message in the stream.
    const message = { body: Buffer.from("{}"), headers: {}, messageId: "dlv_twice", contentType: "application/json" };
    const first = await engine.ctx.brokers.nats.publish(NATS_URL, `${stream.prefix}.twice`, message, 2000);
    const second = await engine.ctx.brokers.nats.publish(NATS_URL, `${stream.prefix}.twice`, message, 2000);
    expect(first).toMatchObject({ kind: "published", details: { duplicate: false } });
    expect(second).toMatchObject({ kind: "published", details: { duplicate: true } });
    expect(await nats.messages(stream.name)).toBe(1);
  });

  it("preview shows the message that would be published; test send publishes one for real", async () => {
    const { exchange, queue } = await amqp.exchangeWithQueue("#");
    const sourceEvent = uniqueEventName();
    const connector = await saveConnector({
      sourceEvent,
      destination: { type: "amqp", url: AMQP_URL, exchange, routingKey: "preview.<<event.payload.kind>>" },
      mapping: { kind: "$.payload.kind" },
      sampleEvent: { name: sourceEvent, payload: { kind: "demo" } },
    });
    const preview = await engine.api("POST", `${BASE}/preview`, { body: { connectorId: connector.id } });
    expect(preview.status).toBe(200);
    expect(preview.json.request).toMatchObject({ method: "PUBLISH", url: AMQP_URL, body: '{"kind":"demo"}' });
    expect(preview.json.message).toMatchObject({ transport: "amqp", exchange, routingKey: "preview.demo" });
    expect(await amqp.count(queue)).toBe(0);

    const sent = await engine.api("POST", `${BASE}/connectors/${connector.id}/test`, { body: {} });
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ outcome: "success", response: null, published: { confirm: "ack" } });
    const [msg] = await amqp.drain(queue);
    expect(msg!.properties.messageId).toMatch(/^tst_/);
    expect(JSON.parse(msg!.content.toString())).toEqual({ kind: "demo" });
  });

  it("the SSRF policy applies to broker hosts; bad broker destinations are refused on save", async () => {
    const strict = await startTestEngine(driver, { IB_WORKER_POLL_MS: "50" });
    const strictWorker = deliveryWorker(strict.ctx);
    await strictWorker.start();
    try {
      const sourceEvent = uniqueEventName();
      const res = await strict.api("PUT", `${BASE}/connectors`, {
        body: {
          name: "loopback broker",
          sourceEvent,
          destination: { type: "nats", servers: NATS_URL, subject: "x.y" },
        },
      });
      expect(res.status).toBe(201);
      const e = await ingest(strict, sourceEvent, {});
      await waitFor(async () => (await deliveryRow(strict, e.deliveries[0]!.id)).status === "FAILED");
      expect((await deliveryRow(strict, e.deliveries[0]!.id)).lastError).toMatch(/refused.*loopback/);
    } finally {
      await strictWorker.stop(1000);
      await strict.close();
    }
    for (const destination of [
      { type: "amqp", url: "amqp://guest:guest@127.0.0.1", exchange: "x", routingKey: "y" },
      { type: "amqp", url: "http://127.0.0.1", exchange: "x", routingKey: "y" },
      { type: "amqp", url: AMQP_URL, routingKey: "y" },
      { type: "nats", servers: "nats://u:plain@127.0.0.1:4222", subject: "x" },
      { type: "kafka", url: "kafka://127.0.0.1" },
    ]) {
      const res = await engine.api("PUT", `${BASE}/connectors`, {
        body: { name: "bad", sourceEvent: "x.y", destination },
      });
      expectEnvelope(res, 400, "VALIDATION_FAILED");
    }
  });

  async function connectorRow(id: string) {
    const res = await engine.api("GET", `${BASE}/connectors/${id}`);
    return res.json as { sourceEvent: string };
  }
  async function statusCounts(connectorId: string): Promise<Record<string, number>> {
    const res = await engine.api("GET", `${BASE}/connectors/${connectorId}/metrics`);
    return (res.json?.counts ?? {}) as Record<string, number>;
  }
});
