import { describe, expect, it } from "vitest";
import { type BrokerMessage, eventFromMessage, messageEventId } from "./message-event.ts";

const message = (over: Partial<BrokerMessage> = {}): BrokerMessage => ({
  kind: "amqp",
  body: Buffer.from('{"orderId":"ord_1"}'),
  headers: { type: "order.paid" },
  address: "orders.created",
  messageId: "m-1",
  timestamp: new Date("2026-01-01T00:00:00Z"),
  ...over,
});
const source = {
  id: "src_1",
  eventName: null,
  eventMapping: { "orders.*": "order.any", "orders.created": "order.created" },
};

describe("eventFromMessage", () => {
  it("names the event by routing key (exact before wildcard), keeps the message id, payload and attributes", () => {
    const out = eventFromMessage(source, message());
    expect(out).toEqual({
      kind: "event",
      event: {
        id: "m-1",
        name: "order.created",
        source: "amqp/src_1",
        time: "2026-01-01T00:00:00.000Z",
        payload: { orderId: "ord_1" },
        attributes: {
          sourceid: "src_1",
          broker: "amqp",
          routingkey: "orders.created",
          messageid: "m-1",
          headers: { type: "order.paid" },
        },
      },
    });
    expect(eventFromMessage(source, message({ address: "orders.refunded" }))).toMatchObject({
      event: { name: "order.any" },
    });
    expect(
      eventFromMessage({ ...source, eventMapping: { "order.paid": "payment.done" }, typeHeader: "type" }, message()),
    ).toMatchObject({
      event: { name: "payment.done" },
    });
  });

  it("refuses a body that is not JSON and a message with no name", () => {
    expect(eventFromMessage(source, message({ body: Buffer.from("nope") }))).toMatchObject({
      kind: "refused",
      reason: expect.stringMatching(/not JSON/),
    });
    expect(eventFromMessage(source, message({ address: "payments.x" }))).toMatchObject({
      kind: "refused",
      reason: expect.stringMatching(/No event name/),
    });
  });

  it("refuses text PostgreSQL cannot store wherever it is (body, header, message id), saying where", () => {
    const refused = (over: Partial<BrokerMessage>) => eventFromMessage(source, message(over));
    expect(refused({ body: Buffer.from('{"orderId":"a\\u0000"}') })).toEqual({
      kind: "refused",
      reason: "The message contains a NUL character (\\u0000) at $.payload.orderId, which cannot be stored as an event",
    });
    expect(refused({ headers: { "x-note": "a\u0000" } })).toMatchObject({
      reason: expect.stringContaining('at $.attributes.headers["x-note"]'),
    });
    expect(refused({ messageId: "m\u0000" })).toMatchObject({ reason: expect.stringContaining("at $.id") });
    expect(refused({ body: Buffer.from('{"a":"\\ud800"}') })).toMatchObject({
      reason: expect.stringContaining("an unpaired UTF-16 surrogate at $.payload.a"),
    });
    // The text \u0000 (a backslash, then u0000) is ordinary text.
    expect(refused({ body: Buffer.from('{"path":"C:\\\\u0000"}') })).toMatchObject({
      kind: "event",
      event: { payload: { path: "C:\\u0000" } },
    });
  });

  it("without a message id: a hash of the body (AMQP) or the stream sequence (NATS), stable across redeliveries", () => {
    const a = messageEventId("src_1", message({ messageId: null }));
    expect(a).toBe(messageEventId("src_1", message({ messageId: null })));
    expect(a).toMatch(/^src_1:sha256:[0-9a-f]{64}$/);
    expect(messageEventId("src_1", message({ kind: "nats", messageId: null, stream: "S", seq: 42 }))).toBe(
      "src_1:S:42",
    );
    expect(messageEventId("src_1", message({ messageId: "x".repeat(300) }))).toMatch(/^src_1:sha256:/);
  });
});
