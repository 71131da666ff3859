import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";
import { PAYMENT_EXPECT } from "./reconciliation-fixtures.ts";

const BASE = "/admin/integration-builder";

describe.each(testDrivers())("reconciliation input on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => {
    await engine?.close();
  });

  const connector = (expect: unknown) => ({
    name: "payments",
    sourceEvent: "payment.requested",
    destination: { url: "https://pay.example.com/payments" },
    expect,
  });
  const good = { ...PAYMENT_EXPECT, eventName: "payment.confirmed" };

  it("saves, returns and clears expect", async () => {
    const created = await engine.api("PUT", `${BASE}/connectors`, { body: connector(good) });
    expect(created.status).toBe(201);
    expect(created.json.expect).toEqual(good);
    const read = await engine.api("GET", `${BASE}/connectors/${created.json.id}`);
    expect(read.json.expect).toEqual(good);
    const cleared = await engine.api("PUT", `${BASE}/connectors`, {
      body: { ...connector(null), id: created.json.id, version: created.json.version },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.json.expect).toBeNull();
  });

  it("accepts {% %} expressions for the paths", async () => {
    const withExpressions = {
      ...good,
      key: "{% response.body.data.id %}",
      eventKey: "{% $string(payload.data.id) %}",
      compare: [{ expected: "{% event.payload.amount * 100 %}", observed: "$.payload.cents" }],
    };
    const created = await engine.api("PUT", `${BASE}/connectors`, { body: connector(withExpressions) });
    expect(created.status).toBe(201);
    expect(created.json.expect).toEqual(withExpressions);
  });

  it.each([
    ["an unknown field", { ...good, timeoutMs: 5 }, /unrecognized|Unrecognized/],
    ["a key that is not a path", { ...good, key: "response.body.id" }, /must be a JSONPath/],
    ["a key over the wrong root", { ...good, key: "$.payload.id" }, /must start with \$\.event, \$\.response/],
    ["an eventKey over the wrong root", { ...good, eventKey: "$.response.body.id" }, /must start with \$\.id/],
    ["a key with a wildcard", { ...good, key: "$.response.body.items[*].id" }, /one value/],
    [
      "a script in a compare path",
      { ...good, compare: [{ expected: "$.event[?(@.x)]", observed: "$.payload" }] },
      /script/,
    ],
    ["withinMs under 1 s", { ...good, withinMs: 999 }, /withinMs/],
    ["withinMs over 30 days", { ...good, withinMs: 30 * 86_400_000 + 1 }, /withinMs/],
    ["a wildcard event name", { ...good, eventName: "payment.*" }, /exact event name/],
    ["no eventKey", { ...good, eventKey: undefined }, /eventKey/],
    ["an expression that does not compile", { ...good, key: "{% response.body.( %}" }, /syntax error/],
    ["an expression reading a secret", { ...good, eventKey: "{% $secret('x') %}" }, /cannot read secrets/],
  ])("refuses %s with 400 and saves nothing", async (_what, expectValue, message) => {
    const before = (await engine.api("GET", `${BASE}/connectors`)).json.connectors.length;
    const res = await engine.api("PUT", `${BASE}/connectors`, { body: connector(expectValue) });
    expectEnvelope(res, 400);
    expect(JSON.stringify(res.json.error)).toMatch(message);
    expect((await engine.api("GET", `${BASE}/connectors`)).json.connectors.length).toBe(before);
  });

  it("the routes answer 400 for bad filters and 404 for what does not exist", async () => {
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation?status=LOST`), 400);
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation?from=yesterday`), 400);
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation?limit=0`), 400);
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation?cursor=bm90IGEgY3Vyc29y`), 400);
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation/summary?to=soon`), 400);
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation?connectorId=con_nope`), 404);
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation/exp_nope`), 404, "NOT_FOUND");
    const empty = await engine.api("GET", `${BASE}/reconciliation?status=missing`);
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ items: [], nextCursor: null });
  });

  it("needs a token with deliveries.read", async () => {
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation`, { token: null }), 401);
    expectEnvelope(await engine.api("GET", `${BASE}/reconciliation/summary`, { token: engine.tokens.ingest }), 403);
    expect((await engine.api("GET", `${BASE}/reconciliation/summary`, { token: engine.tokens.viewer })).status).toBe(
      200,
    );
  });
});
