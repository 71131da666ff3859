import { describe, expect, it } from "vitest";
import { DestinationSchema } from "./connector-schema.ts";
import { brokerUrlProblem, splitNatsServers } from "./contracts/broker.ts";
import { decideAttempt } from "./delivery-state.ts";
import { renderMessage } from "./render-message.ts";

const event = {
  id: "evt_1",
  name: "order.created",
  source: "shop",
  time: "2026-01-01T00:00:00.000Z",
  payload: { orderId: "ord_1", country: "br", note: "a\nb" },
};

describe("renderMessage (broker destinations)", () => {
  it("renders the address, headers and JSON body; secrets go into the URL encoded and come out masked", async () => {
    const out = await renderMessage({
      spec: {
        url: "amqp://app:<<secret.pw>>@rabbit:5672",
        address: { routingKey: "order.<<event.payload.country>>" },
        headers: { "x-order": "<<event.payload.orderId>>" },
      },
      mapping: { id: "$.payload.orderId", auth: "<<secret.pw>>" },
      event,
      secrets: { pw: "p@ss/word" },
    });
    expect(out.message).toEqual({
      url: "amqp://app:p%40ss%2Fword@rabbit:5672",
      address: { routingKey: "order.br" },
      headers: { "x-order": "ord_1" },
      body: '{"id":"ord_1","auth":"p@ss/word"}',
      contentType: "application/json",
    });
    expect(out.redacted.url).toBe("amqp://app:••••••@rabbit:5672");
    expect(out.redacted.body).toBe('{"id":"ord_1","auth":"••••••"}');
    expect(JSON.stringify(out.redacted)).not.toContain("p@ss");
  });

  it("sends the event envelope without a mapping, refuses a header with a line break, and names a missing secret", async () => {
    const plain = await renderMessage({
      spec: { url: "nats://n:4222", address: { subject: "a.b" } },
      mapping: null,
      event,
      secrets: {},
    });
    expect(JSON.parse(plain.message.body)).toEqual(event);
    await expect(
      renderMessage({
        spec: { url: "nats://n", address: { subject: "a" }, headers: { x: "<<event.payload.note>>" } },
        mapping: null,
        event,
        secrets: {},
      }),
    ).rejects.toThrow(/line break/);
    await expect(
      renderMessage({
        spec: { url: "amqp://u:<<secret.nope>>@h", address: { routingKey: "r" } },
        mapping: null,
        event,
        secrets: {},
      }),
    ).rejects.toThrow(/nope/);
    const warned = await renderMessage({
      spec: { url: "amqp://u:<<secret.nope>>@h", address: { routingKey: "r" } },
      mapping: null,
      event,
      secrets: {},
      missingSecret: "warn",
    });
    expect(warned.missingSecrets).toEqual(["nope"]);
  });
});

describe("broker destination shapes", () => {
  it("accepts amqp and nats destinations and keeps http the default", () => {
    expect(DestinationSchema.parse({ url: "https://x.example/y" })).toMatchObject({ method: "POST" });
    expect(
      DestinationSchema.parse({ type: "amqp", url: "amqp://h:5672/vh", exchange: "", routingKey: "q.<<event.name>>" }),
    ).toMatchObject({ type: "amqp", exchange: "" });
    expect(DestinationSchema.parse({ type: "nats", servers: "a:4222, nats://b:4222", subject: "s.x" })).toMatchObject({
      type: "nats",
    });
    expect(DestinationSchema.safeParse({ type: "nats", servers: "http://a", subject: "s" }).success).toBe(false);
    expect(DestinationSchema.safeParse({ type: "amqp", url: "amqp://h", exchange: "x" }).success).toBe(false);
  });

  it("refuses a literal password in a broker URL, but not a secret placeholder", () => {
    const amqp = ["amqp:", "amqps:"];
    expect(brokerUrlProblem("amqp://u:secret@h", amqp)).toMatch(/secret placeholder/);
    expect(brokerUrlProblem("amqp://u:<<secret.pw>>@h/vhost", amqp)).toBeNull();
    expect(brokerUrlProblem("amqp://h", amqp)).toBeNull();
    expect(brokerUrlProblem("https://h", amqp)).toMatch(/scheme/);
    expect(splitNatsServers(" a:1 ,tls://b:2,")).toEqual(["nats://a:1", "tls://b:2"]);
  });

  it("a broker's acknowledgement is a success for the retry policy and the circuit", () => {
    const backoff = { baseMs: 10, maxMs: 100 };
    expect(decideAttempt({ result: { kind: "acknowledged" }, attempt: 1, maxAttempts: 3, backoff })).toEqual({
      status: "SUCCESS",
      circuit: "success",
    });
  });
});
