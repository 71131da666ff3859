import { describe, expect, it } from "vitest";
import { EventFormatError, parseEventRequest, parseJsonEvent } from "./cloudevents.ts";

const req = (contentType: string, body: unknown, headers: Record<string, string> = {}) =>
  parseEventRequest({ contentType, headers, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("event request parsing", () => {
  it("reads the simple form", () => {
    expect(req("application/json", { name: "order.created", payload: { a: 1 } })).toEqual({
      name: "order.created",
      payload: { a: 1 },
      attributes: {},
    });
    expect(req("application/json; charset=utf-8", { id: "x1", name: "a.b", source: "shop", payload: null }).id).toBe(
      "x1",
    );
  });

  it("reads structured and binary CloudEvents", () => {
    const ce = {
      specversion: "1.0",
      id: "ce1",
      source: "/shop",
      type: "order.created",
      subject: "o-1",
      data: { n: 2 },
    };
    expect(req("application/cloudevents+json", ce)).toEqual({
      id: "ce1",
      name: "order.created",
      source: "/shop",
      time: undefined,
      payload: { n: 2 },
      attributes: { specversion: "1.0", subject: "o-1" },
    });
    const bin = req(
      "application/json",
      { n: 3 },
      {
        "ce-specversion": "1.0",
        "ce-id": "ce2",
        "ce-source": "/shop",
        "ce-type": "order.paid",
        "ce-country": "PT",
      },
    );
    expect(bin).toMatchObject({ id: "ce2", name: "order.paid", payload: { n: 3 }, attributes: { country: "PT" } });
    expect(
      parseJsonEvent({
        ...ce,
        data: undefined,
        data_base64: Buffer.from('{"z":1}').toString("base64"),
        datacontenttype: "application/json",
      }).payload,
    ).toEqual({ z: 1 });
  });

  it("rejects bad input with a clear message", () => {
    const msg = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(EventFormatError);
        return (e as EventFormatError).message;
      }
      throw new Error("did not throw");
    };
    expect(msg(() => req("application/json", "{"))).toMatch(/not valid JSON/);
    expect(msg(() => req("application/json", { payload: 1 }))).toMatch(/^name:/);
    expect(msg(() => req("application/json", { name: "a", payload: 1, extra: 1 }))).toMatch(/extra/);
    expect(msg(() => req("application/json", { name: "a" }))).toMatch(/payload/);
    expect(msg(() => req("text/plain", "hi"))).toMatch(/not accepted/);
    expect(
      msg(() => req("application/cloudevents+json", { specversion: "0.3", id: "1", source: "s", type: "t" })),
    ).toMatch(/specversion/);
    expect(msg(() => req("application/cloudevents+json", { specversion: "1.0", source: "s", type: "t" }))).toMatch(
      /id/,
    );
  });
});
