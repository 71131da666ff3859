import { describe, expect, it } from "vitest";
import { ConnectorInputSchema } from "./connector-schema.ts";
import { ExpectSchema } from "./contracts/reconciliation.ts";
import {
  checkExpectPath,
  differences,
  eventKeyOf,
  observedValues,
  openingFor,
  parseResponseBody,
  sameValue,
} from "./reconciliation.ts";

const EXPECT = {
  eventName: "payment.confirmed",
  key: "$.response.body.id",
  eventKey: "$.payload.data.object.id",
  withinMs: 60_000,
  compare: [{ expected: "$.event.payload.amountCents", observed: "$.payload.data.object.amount_received" }],
};

describe("expect paths", () => {
  it("accepts JSONPaths under the right root", () => {
    expect(checkExpectPath("$.response.body.id", "delivery", { single: true })).toEqual([]);
    expect(checkExpectPath("$.event.payload.orderId", "delivery", { single: true })).toEqual([]);
    expect(checkExpectPath("$['response']['body']['id']", "delivery", { single: true })).toEqual([]);
    expect(checkExpectPath("$.payload.paymentId", "event", { single: true })).toEqual([]);
    expect(checkExpectPath("$.payload.items[*].sku", "event")).toEqual([]);
  });

  it("refuses text that is not a path, the wrong root, wildcards in a key and scripts", () => {
    expect(checkExpectPath("response.body.id", "delivery")[0]).toMatch(/must be a JSONPath starting with/);
    expect(checkExpectPath("$.body.id", "delivery")[0]).toMatch(/must start with \$\.event, \$\.response/);
    expect(checkExpectPath("$.response.body.id", "event")[0]).toMatch(/must start with \$\.id/);
    expect(checkExpectPath("$", "event")[0]).toMatch(/must name a value/);
    expect(checkExpectPath("$.payload.items[*].id", "event", { single: true })[0]).toMatch(/one value/);
    expect(checkExpectPath("$.payload[?(@.x)]", "event")[0]).toMatch(/script or filter/);
  });

  it("accepts {% %} expressions that compile and call known functions, and no $secret", () => {
    expect(checkExpectPath("{% response.body.id %}", "delivery")).toEqual([]);
    expect(checkExpectPath("{% $string(payload.data.id) %}", "event")).toEqual([]);
    expect(checkExpectPath("{% response.body.( %}", "delivery")[0]).toMatch(/syntax error/);
    expect(checkExpectPath("{% $nope(payload) %}", "event")[0]).toMatch(/unknown function \$nope/);
    expect(checkExpectPath("{% $secret('apiKey') %}", "event")[0]).toMatch(/cannot read secrets/);
  });

  it("the schema names the field and refuses unknown fields and an out-of-range withinMs", () => {
    expect(ExpectSchema.safeParse(EXPECT).success).toBe(true);
    const unknown = ExpectSchema.safeParse({ ...EXPECT, within: 5 });
    expect(unknown.success).toBe(false);
    for (const withinMs of [999, 30 * 86_400_000 + 1, 1.5]) {
      const r = ExpectSchema.safeParse({ ...EXPECT, withinMs });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(["withinMs"]);
    }
    const badKey = ExpectSchema.safeParse({ ...EXPECT, key: "$.payload.id" });
    expect(badKey.error?.issues[0]?.path).toEqual(["key"]);
    const badCompare = ExpectSchema.safeParse({ ...EXPECT, compare: [{ expected: "$.event.x", observed: "x" }] });
    expect(badCompare.error?.issues[0]?.path).toEqual(["compare", 0, "observed"]);
    const wildcardName = ExpectSchema.safeParse({ ...EXPECT, eventName: "payment.*" });
    expect(wildcardName.success).toBe(false);
  });

  it("is part of a connector (optional, nullable)", () => {
    const base = { name: "x", sourceEvent: "a.b", destination: { url: "https://example.com" } };
    expect(ConnectorInputSchema.safeParse(base).success).toBe(true);
    expect(ConnectorInputSchema.safeParse({ ...base, expect: null }).success).toBe(true);
    expect(ConnectorInputSchema.safeParse({ ...base, expect: EXPECT }).success).toBe(true);
    expect(ConnectorInputSchema.safeParse({ ...base, expect: { ...EXPECT, extra: 1 } }).success).toBe(false);
  });
});

describe("opening and observing", () => {
  const event = { id: "evt_1", name: "payment.requested", payload: { amountCents: 4990 } };

  it("reads the key from a JSON answer and the expected values", async () => {
    const response = { status: 200, headers: {}, body: { id: "pi_123", amount: 4990 } };
    const opening = await openingFor(EXPECT, { event, response });
    expect(opening).toEqual({
      key: "pi_123",
      keyError: null,
      expected: [{ ...EXPECT.compare[0], value: 4990 }],
    });
  });

  it("numbers are keys as text; objects, null and missing fields are not keys", async () => {
    const open = (body: unknown, problem?: string) =>
      openingFor(EXPECT, { event, response: { status: 200, headers: {}, body } }, problem);
    expect((await open({ id: 1234567890 })).key).toBe("1234567890");
    expect((await open({ id: { a: 1 } })).keyError).toMatch(/not a single value/);
    expect((await open({ id: null })).keyError).toMatch(/null/);
    const missing = await open("<html>oops</html>", "the response body is not valid JSON");
    expect(missing.key).toBeNull();
    expect(missing.keyError).toMatch(/found nothing \(the response body is not valid JSON\)/);
  });

  it("parses JSON, keeps form and text as text, flags a body that claims JSON and is not", () => {
    expect(parseResponseBody('{"id":"x"}', "application/json")).toEqual({ body: { id: "x" } });
    expect(parseResponseBody('{"id":"x"}', undefined)).toEqual({ body: { id: "x" } });
    expect(parseResponseBody("id=x&amount=2", "application/x-www-form-urlencoded")).toEqual({
      body: "id=x&amount=2",
    });
    const bad = parseResponseBody("{not json", "application/json; charset=utf-8");
    expect(bad.body).toBe("{not json");
    expect(bad.problem).toMatch(/not valid JSON/);
    expect(parseResponseBody('{"id":', "application/json", true).problem).toMatch(/too large/);
  });

  it("observes the key and values of an incoming event and finds differences", async () => {
    const incoming = {
      id: "evt_2",
      name: "payment.confirmed",
      payload: { data: { object: { id: "pi_123", amount_received: 4990 } } },
    };
    expect(await eventKeyOf(EXPECT.eventKey, incoming)).toBe("pi_123");
    expect(await eventKeyOf("$.payload.nothing", incoming)).toBeNull();
    const expected = [{ ...EXPECT.compare[0]!, value: 4990 }];
    const same = await observedValues(expected, incoming);
    expect(differences(expected, same)).toEqual([]);
    const other = { ...incoming, payload: { data: { object: { id: "pi_123", amount_received: 100 } } } };
    expect(differences(expected, await observedValues(expected, other))).toEqual([0]);
    const absent = { ...incoming, payload: { data: { object: { id: "pi_123" } } } };
    expect(differences(expected, await observedValues(expected, absent))).toEqual([0]);
    const optional = [{ ...expected[0]!, optional: true }];
    expect(differences(optional, await observedValues(optional, absent))).toEqual([]);
    expect(differences(optional, await observedValues(optional, other))).toEqual([0]);
  });

  it("evaluates {% %} expressions over the same roots", async () => {
    const response = { status: 200, headers: {}, body: { data: [{ ref: "A-1" }], total: "49.90" } };
    const opening = await openingFor(
      {
        key: "{% response.body.data[0].ref %}",
        compare: [{ expected: "{% $number(response.body.total) * 100 %}", observed: "$.payload.cents" }],
      },
      { event, response },
    );
    expect(opening).toMatchObject({ key: "A-1", expected: [{ value: 4990 }] });
    const missing = await openingFor({ key: "{% response.body.nothing %}" }, { event, response });
    expect(missing).toMatchObject({ key: null, keyError: expect.stringMatching(/gave nothing/) });
    const incoming = { id: "e", name: "n", payload: { ref: "a-1" } };
    expect(await eventKeyOf("{% $uppercase(payload.ref) %}", incoming)).toBe("A-1");
  });

  it("compares as JSON, and a number with its text", () => {
    expect(sameValue(2000, "2000")).toBe(true);
    expect(sameValue(20, 20.0)).toBe(true);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue(2000, "2000.5")).toBe(false);
    expect(sameValue("usd", "USD")).toBe(false);
    expect(sameValue(null, 0)).toBe(false);
    expect(sameValue(0, "")).toBe(false);
  });
});
