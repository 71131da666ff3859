// Sources of kind amqp and nats (DESIGN §13): the engine consumes a RabbitMQ queue / a JetStream stream,
// each message becomes one event (its id the message id), acked only after the commit; messages that
// cannot become an event are refused and listed with the source.
import { events } from "@ib/db";
import avro from "avsc";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackgroundService } from "../src/background-service.ts";
import { brokerSourcesService } from "../src/brokers/service.ts";
import {
  AMQP_URL,
  type AmqpFixture,
  amqpFixture,
  NATS_URL,
  type NatsFixture,
  natsFixture,
  rabbitVhost,
  suffix,
} from "./broker-fixtures.ts";
import { uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";

describe.each(testDrivers())("broker sources on %s", (driver) => {
  let engine: TestEngine;
  let service: BackgroundService;
  let amqp: AmqpFixture;
  let nats: NatsFixture;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
    service = brokerSourcesService(engine.ctx, { tickMs: 200 });
    await service.start();
    amqp = await amqpFixture();
    nats = await natsFixture();
  });
  afterAll(async () => {
    await service?.stop(2000);
    await amqp?.close();
    await nats?.close();
    await engine?.close();
  });

  async function createSource(body: Record<string, unknown>) {
    const res = await engine.api("PUT", `${BASE}/sources`, { body: { name: `broker ${suffix()}`, ...body } });
    if (res.status !== 201) throw new Error(`source not saved: ${res.status} ${res.text}`);
    return res.json.source as { id: string };
  }
  async function eventsOf(sourceId: string, kind: "amqp" | "nats") {
    return engine.ctx.db
      .select()
      .from(events)
      .where(eq(events.source, `${kind}/${sourceId}`));
  }
  const consuming = (id: string) =>
    waitFor(
      async () => (await engine.api("GET", `${BASE}/sources/${id}`)).json?.source?.runtime?.state === "consuming",
      {
        message: `source ${id} to be consuming`,
      },
    );

  it("AMQP: each message becomes one event (id = messageId) with a delivery per connector, acked after the commit", async () => {
    const { queue, dead } = await amqp.queueWithDeadLetters();
    const eventName = uniqueEventName("order");
    const source = await createSource({
      kind: "amqp",
      url: AMQP_URL,
      queue,
      prefetch: 20,
      eventMapping: { "orders.refunded": `${eventName}.refunded` },
      eventName,
    });
    const connector = await engine.api("PUT", `${BASE}/connectors`, {
      body: { name: "sink", sourceEvent: eventName, destination: { url: "http://127.0.0.1:9/none", method: "POST" } },
    });
    expect(connector.status).toBe(201);
    await consuming(source.id);

    const ids = Array.from({ length: 50 }, (_, i) => `msg_${suffix()}_${i}`);
    for (const [i, id] of ids.entries()) amqp.publish(queue, { n: i }, { messageId: id, headers: { "x-n": i } });
    amqp.publish(queue, { n: 0 }, { messageId: ids[0] }); // a redelivery of the first: the same event
    await waitFor(async () => (await eventsOf(source.id, "amqp")).length === 50 && (await amqp.count(queue)) === 0, {
      message: "50 events and an empty queue",
    });
    const stored = await eventsOf(source.id, "amqp");
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(ids));
    const first = stored.find((e) => e.id === ids[1])!;
    expect(first).toMatchObject({ name: eventName, payload: { n: 1 } });
    expect(first.attributes).toMatchObject({
      sourceid: source.id,
      broker: "amqp",
      routingkey: queue,
      headers: { "x-n": "1" },
    });
    const deliveries = await engine.api("GET", `${BASE}/connectors/${connector.json.id}/logs`);
    expect(deliveries.json.deliveries.length).toBe(50);
    expect(await amqp.count(dead)).toBe(0);

    const shown = (await engine.api("GET", `${BASE}/sources/${source.id}`)).json.source;
    expect(shown).toMatchObject({ kind: "amqp", verifier: null, path: null, url: AMQP_URL, queue, prefetch: 20 });
    await waitFor(async () => {
      const runtime = (await engine.api("GET", `${BASE}/sources/${source.id}`)).json.source.runtime;
      return runtime.state === "consuming" && runtime.pending === 0 && runtime.lastMessageAt !== null;
    });
  });

  it("AMQP: a message that cannot become an event is dead-lettered and listed as refused with its reason", async () => {
    const { queue, dead } = await amqp.queueWithDeadLetters();
    const eventName = uniqueEventName();
    const schema = await engine.api("PUT", `${BASE}/event-types`, {
      body: {
        name: eventName,
        schemaFormat: "json-schema",
        schema: { type: "object", required: ["orderId"], properties: { orderId: { type: "string" } } },
        validation: "enforce",
      },
    });
    expect(schema.status).toBeLessThan(300);
    const source = await createSource({ kind: "amqp", url: AMQP_URL, queue, eventName });
    await consuming(source.id);
    amqp.publish(queue, "not json at all", { messageId: `bad_${suffix()}` });
    amqp.publish(queue, { total: 3 }, { messageId: `schema_${suffix()}` });
    const good = `good_${suffix()}`;
    amqp.publish(queue, { orderId: "ord_1" }, { messageId: good });
    await waitFor(async () => (await amqp.count(dead)) === 2 && (await eventsOf(source.id, "amqp")).length === 1, {
      message: "two dead letters and one event",
    });
    expect((await eventsOf(source.id, "amqp"))[0]!.id).toBe(good);
    const listed = await engine.api("GET", `${BASE}/sources/${source.id}/webhooks?status=REJECTED`);
    expect(listed.status).toBe(200);
    const reasons = listed.json.webhooks.map((w: { verificationError: string }) => w.verificationError).sort();
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/does not match the schema/);
  });

  it("AMQP: an application/avro body is decoded with the catalog's Avro schema; one that is not a datum of it is refused", async () => {
    const { queue, dead } = await amqp.queueWithDeadLetters();
    const eventName = uniqueEventName("payment");
    const schema = {
      type: "record",
      name: "Payment",
      fields: [
        { name: "paymentId", type: "string" },
        { name: "amount", type: "double" },
      ],
    };
    const put = await engine.api("PUT", `${BASE}/event-types`, {
      body: { name: eventName, schemaFormat: "avro", schema, validation: "enforce" },
    });
    expect(put.status).toBeLessThan(300);
    const source = await createSource({ kind: "amqp", url: AMQP_URL, queue, eventName });
    await consuming(source.id);
    const type = avro.Type.forSchema(schema as avro.Schema);
    const good = `avro_${suffix()}`;
    amqp.publish(queue, type.toBuffer({ paymentId: "pay_1", amount: 12.5 }), {
      messageId: good,
      contentType: "application/avro",
    });
    amqp.publish(queue, Buffer.from([1, 2, 3]), { messageId: `bad_${suffix()}`, contentType: "application/avro" });
    await waitFor(async () => (await amqp.count(dead)) === 1 && (await eventsOf(source.id, "amqp")).length === 1, {
      message: "one Avro event and one dead letter",
    });
    const [stored] = await eventsOf(source.id, "amqp");
    expect(stored).toMatchObject({ id: good, name: eventName, payload: { paymentId: "pay_1", amount: 12.5 } });
    const listed = await engine.api("GET", `${BASE}/sources/${source.id}/webhooks?status=REJECTED`);
    expect(listed.json.webhooks.map((w: { verificationError: string }) => w.verificationError)).toEqual([
      expect.stringMatching(/is not (an|one) Avro datum of/),
    ]);
  });

  it("AMQP: a NUL character (a JSON escape, a raw byte, a header) refuses the message with where it is; the text \\u0000 does not", async () => {
    const { queue, dead } = await amqp.queueWithDeadLetters();
    const source = await createSource({ kind: "amqp", url: AMQP_URL, queue, eventName: uniqueEventName() });
    await consuming(source.id);
    amqp.publish(queue, '{"order":{"note":"a\\u0000b"}}', { messageId: `esc_${suffix()}` });
    amqp.publish(queue, Buffer.from([0x7b, 0x00, 0x7d]), { messageId: `byte_${suffix()}` });
    amqp.publish(queue, { ok: 1 }, { messageId: `hdr_${suffix()}`, headers: { "x-note": "a\u0000b" } });
    const good = `text_${suffix()}`;
    amqp.publish(queue, { path: "C:\\u0000" }, { messageId: good });
    await waitFor(async () => (await amqp.count(dead)) === 3 && (await eventsOf(source.id, "amqp")).length === 1, {
      message: "three dead letters and one event",
    });
    const [stored] = await eventsOf(source.id, "amqp");
    expect(stored).toMatchObject({ id: good, payload: { path: "C:\\u0000" } });
    const listed = await engine.api("GET", `${BASE}/sources/${source.id}/webhooks?status=REJECTED`);
    const reasons = listed.json.webhooks.map((w: { verificationError: string }) => w.verificationError).sort();
    expect(reasons).toEqual([
      "The body is not JSON (3 bytes)",
      'The message contains a NUL character (\\u0000) at $.attributes.headers["x-note"], which cannot be stored as an event',
      "The message contains a NUL character (\\u0000) at $.payload.order.note, which cannot be stored as an event",
    ]);
  });

  it("NATS: a durable pull consumer turns stream messages into events (Nats-Msg-Id, else the stream sequence); bad ones are terminated", async () => {
    const stream = await nats.stream();
    const eventName = uniqueEventName();
    const source = await createSource({
      kind: "nats",
      servers: NATS_URL,
      stream: stream.name,
      consumer: `ib_${suffix()}`,
      eventMapping: { [`${stream.prefix}.*`]: eventName },
    });
    await consuming(source.id);
    const withId = `nats_${suffix()}`;
    await nats.publish(`${stream.prefix}.a`, { n: 1 }, withId);
    await nats.publish(`${stream.prefix}.a`, { n: 1 }, withId); // de-duplicated by the stream itself
    const noId = await nats.publish(`${stream.prefix}.b`, { n: 2 });
    await nats.publish(`${stream.prefix}.c`, "{broken");
    await waitFor(async () => (await eventsOf(source.id, "nats")).length === 2, { message: "two events" });
    const stored = await eventsOf(source.id, "nats");
    expect(stored.map((e) => e.id).sort()).toEqual([withId, `${source.id}:${stream.name}:${noId.seq}`].sort());
    await waitFor(async () => {
      const listed = await engine.api("GET", `${BASE}/sources/${source.id}/webhooks?status=REJECTED`);
      return listed.json.webhooks.length === 1;
    });
    await waitFor(
      async () => (await engine.api("GET", `${BASE}/sources/${source.id}`)).json.source.runtime.pending === 0,
    );
  });

  it("AMQP: the broker dropping the consumer's connection (rabbitmqctl close_all_connections): it reconnects and goes on", async () => {
    const vhost = await rabbitVhost();
    const fixture = await amqpFixture(vhost.url);
    try {
      const { queue } = await fixture.queueWithDeadLetters();
      const source = await createSource({ kind: "amqp", url: vhost.url, queue, eventName: uniqueEventName() });
      await consuming(source.id);
      const before = `before_${suffix()}`;
      fixture.publish(queue, { n: 1 }, { messageId: before });
      await waitFor(async () => (await eventsOf(source.id, "amqp")).length === 1, { message: "the first event" });
      await vhost.closeAllConnections();
      await waitFor(async () => {
        const state = (await engine.api("GET", `${BASE}/sources/${source.id}`)).json.source.runtime.state;
        return state === "reconnecting" || state === "consuming";
      });
      const publisher = await amqpFixture(vhost.url);
      const after = `after_${suffix()}`;
      publisher.publish(queue, { n: 2 }, { messageId: after });
      await waitFor(async () => (await eventsOf(source.id, "amqp")).length === 2, {
        timeoutMs: 30_000,
        message: "the event published after the drop",
      });
      await publisher.close();
      expect((await eventsOf(source.id, "amqp")).map((e) => e.id).sort()).toEqual([after, before].sort());
      await consuming(source.id);
    } finally {
      await fixture.close().catch(() => {});
      await vhost.delete();
    }
  });

  it("bad broker sources are refused; a missing queue shows as an error state; disabling stops the consumer", async () => {
    for (const body of [
      { kind: "amqp", url: AMQP_URL, eventName: "x.y" },
      { kind: "amqp", url: "amqp://guest:guest@127.0.0.1", queue: "q", eventName: "x.y" },
      { kind: "nats", servers: NATS_URL, stream: "has space", consumer: "c", eventName: "x.y" },
      { kind: "amqp", url: AMQP_URL, queue: "q" },
      { kind: "kafka", url: "kafka://127.0.0.1", eventName: "x.y" },
    ]) {
      expectEnvelope(await engine.api("PUT", `${BASE}/sources`, { body: { name: "bad", ...body } }), 400);
    }
    const source = await createSource({ kind: "amqp", url: AMQP_URL, queue: `missing.${suffix()}`, eventName: "x.y" });
    await waitFor(
      async () => (await engine.api("GET", `${BASE}/sources/${source.id}`)).json.source.runtime.state === "error",
    );
    const shown = (await engine.api("GET", `${BASE}/sources/${source.id}`)).json.source;
    expect(shown.runtime.error).toMatch(/cannot be consumed/);
    // A broker source takes no webhooks.
    expect((await engine.api("POST", `/v1/webhooks/${source.id}`, { raw: "{}", token: null })).status).toBe(404);
    // Its kind cannot change.
    const changed = await engine.api("PUT", `${BASE}/sources`, {
      body: { id: source.id, version: shown.version, name: "now a webhook", verifier: "stripe", eventName: "x.y" },
    });
    expectEnvelope(changed, 400);
    const disabled = await engine.api("PUT", `${BASE}/sources`, {
      body: {
        id: source.id,
        version: shown.version,
        name: shown.name,
        kind: "amqp",
        url: AMQP_URL,
        queue: shown.queue,
        eventName: "x.y",
        enabled: false,
      },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.json.source.runtime.state).toBe("stopped");
  });
  it("stopping (SIGTERM) pauses consumption: nothing is taken while stopped, and the next start takes it", async () => {
    const { queue } = await amqp.queueWithDeadLetters();
    const source = await createSource({ kind: "amqp", url: AMQP_URL, queue, eventName: uniqueEventName() });
    await consuming(source.id);
    await service.stop(2000);
    expect((await engine.api("GET", `${BASE}/sources/${source.id}`)).json.source.runtime.state).toBe("stopped");
    const id = `paused_${suffix()}`;
    amqp.publish(queue, { n: 1 }, { messageId: id });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await amqp.count(queue)).toBe(1);
    expect(await eventsOf(source.id, "amqp")).toEqual([]);
    service = brokerSourcesService(engine.ctx, { tickMs: 200 });
    await service.start();
    await waitFor(async () => (await eventsOf(source.id, "amqp")).length === 1, { message: "taken after the restart" });
    expect(await amqp.count(queue)).toBe(0);
  });
});
