import { signWebhook } from "@ib/core/signing";
import { auditLog, deliveries } from "@ib/db";
import { type Receiver, startReceiver } from "@ib/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder";
const MASK = "••••••";
const TOKEN = "tok-testsend-5a4b3c2d1e";
const SIGNING = `whsec_${Buffer.from("test-send-signing-key-32-bytes!!").toString("base64")}`;

describe.each(testDrivers())("test send on %s", (driver) => {
  let engine: TestEngine;
  let receiver: Receiver;

  beforeAll(async () => {
    // `localhost` is allowlisted, 127.0.0.1 is not: the same receiver is reachable by one name and
    // refused by the other, so a refusal that sent nothing is observable.
    engine = await startTestEngine(driver, { IB_DESTINATION_ALLOWLIST: "localhost" });
    receiver = await startReceiver((req, _n, res) => {
      const path = req.url.split("?")[0];
      if (path === "/slow") return new Promise((r) => setTimeout(r, 1500)).then(() => res.end("late"));
      if (path === "/fail") return res.writeHead(503, { "retry-after": "7" }).end("try later");
      if (path === "/reject") return res.writeHead(400).end('{"error":"bad amount"}');
      // Echoes the Authorization header back, as some APIs do in their errors: the answer must scrub it.
      res
        .writeHead(201, { "content-type": "application/json", "x-echo": String(req.headers.authorization) })
        .end(JSON.stringify({ id: "erp_1", youSent: req.headers.authorization }));
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await engine?.close();
  });

  async function connector(patch: Record<string, unknown> = {}, secrets: Record<string, string> = {}) {
    const res = await engine.api("PUT", `${BASE}/connectors`, {
      body: {
        name: `test send ${uniqueEventName()}`,
        sourceEvent: "order.*",
        destination: {
          url: `http://localhost:${receiver.port}/orders/<<event.payload.orderId>>`,
          method: "POST",
          headers: { Authorization: "Bearer <<secret.token>>" },
        },
        mapping: { orderId: "$.payload.orderId", total: "$.payload.total", event: "$.name" },
        ...patch,
      },
    });
    expect(res.status, res.text).toBe(201);
    const id = res.json.id as string;
    for (const [name, value] of Object.entries({ token: TOKEN, ...secrets })) {
      const set = await engine.api("POST", `${BASE}/connectors/${id}/secret`, { body: { name, value } });
      expect(set.status, set.text).toBe(200);
    }
    return id;
  }

  const testSend = (id: string, body?: unknown, token?: string) =>
    engine.api("POST", `${BASE}/connectors/${id}/test`, { body, token });

  const received = (path: string) => receiver.received.filter((r) => r.url.startsWith(path));

  async function auditRows(id: string) {
    return engine.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "connector.test"), eq(auditLog.target, id)));
  }

  async function deliveriesOf(id: string) {
    return engine.ctx.db.select().from(deliveries).where(eq(deliveries.connectorId, id));
  }

  it("sends one real, signed request with the secrets and answers with it masked and the response; no delivery, one audit row", async () => {
    const id = await connector({}, { signingSecret: SIGNING });
    const event = { id: "evt_ts_1", name: "order.created", payload: { orderId: "ord_7", total: 12.5 } };
    const res = await testSend(id, { event });
    expect(res.status, res.text).toBe(200);

    // The destination got the real thing.
    const [got, ...more] = received("/orders/ord_7");
    expect(more).toHaveLength(0);
    expect(got!.method).toBe("POST");
    expect(got!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(got!.body)).toEqual({ orderId: "ord_7", total: 12.5, event: "order.created" });
    const sendId = got!.headers["webhook-id"] as string;
    expect(sendId).toMatch(/^tst_/);
    expect(got!.headers["idempotency-key"]).toBe(sendId);
    const timestamp = Number(got!.headers["webhook-timestamp"]);
    expect(got!.headers["webhook-signature"]).toBe(
      signWebhook({ secret: SIGNING, id: sendId, timestamp, body: got!.body }),
    );

    // The answer: the request as sent, masked; the destination's answer, scrubbed.
    const answer = res.json;
    expect(answer.request).toMatchObject({
      method: "POST",
      url: `http://localhost:${receiver.port}/orders/ord_7`,
      body: got!.body,
    });
    expect(answer.request.headers).toMatchObject({
      Authorization: `Bearer ${MASK}`,
      "Idempotency-Key": sendId,
      "webhook-id": sendId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${MASK}`,
      "Content-Type": "application/json",
    });
    expect(answer.request.headers["User-Agent"]).toBe(got!.headers["user-agent"]);
    expect(answer.response.status).toBe(201);
    expect(answer.response.headers["x-echo"]).toBe(`Bearer ${MASK}`);
    expect(JSON.parse(answer.response.body)).toEqual({ id: "erp_1", youSent: `Bearer ${MASK}` });
    expect(answer.outcome).toBe("success");
    expect(answer.error).toBeUndefined();
    expect(answer.durationMs).toBeGreaterThanOrEqual(0);
    expect(answer.event).toMatchObject(event);
    expect(res.text).not.toContain(TOKEN);
    expect(res.text).not.toContain(got!.headers["webhook-signature"]);

    expect(await deliveriesOf(id)).toHaveLength(0);
    const audits = await auditRows(id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ eventId: "evt_ts_1", outcome: "success", status: 201 });
    expect(audits[0]!.actorRole).toBe("admin");
    expect(JSON.stringify(audits[0])).not.toContain(TOKEN);
  });

  it("uses the connector's sampleEvent, else a minimal event the connector would receive", async () => {
    const withSample = await connector({
      sampleEvent: { name: "order.paid", payload: { orderId: "ord_sample", total: 3 } },
    });
    const a = await testSend(withSample);
    expect(a.status, a.text).toBe(200);
    expect(a.json.event).toMatchObject({ name: "order.paid", payload: { orderId: "ord_sample" } });
    expect(received("/orders/ord_sample")).toHaveLength(1);

    const bare = await connector({
      sampleEvent: null,
      destination: { url: `http://localhost:${receiver.port}/bare`, method: "POST" },
    });
    const b = await testSend(bare, {});
    expect(b.status, b.text).toBe(200);
    expect(b.json.event).toMatchObject({ name: "order.example", source: null, payload: {} });
    expect(b.json.event.id).toMatch(/^evt_/);
    expect(b.json.warnings.length).toBeGreaterThan(0); // the mapping's paths are missing from {}
    expect(JSON.parse(received("/bare").at(-1)!.body)).toEqual({ orderId: null, total: null, event: "order.example" });
  });

  it("renders expressions as the worker does, secrets derived by them masked; a filter that rejects the event is a warning", async () => {
    const id = await connector({
      destination: {
        url: `http://localhost:${receiver.port}/expr`,
        method: "POST",
        headers: { Authorization: "{% 'Bearer ' & $secret('token') %}" },
      },
      mapping: { amountCents: "{% $round(payload.total * 100) %}", who: "{% $uppercase(payload.name) %}" },
      filter: { all: [{ path: "$.payload.total", op: "gt", value: 100 }] },
    });
    const res = await testSend(id, { event: { name: "order.created", payload: { total: 12.5, name: "ana" } } });
    expect(res.status, res.text).toBe(200);
    const got = received("/expr").at(-1)!;
    expect(JSON.parse(got.body)).toEqual({ amountCents: 1250, who: "ANA" });
    expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(res.json.request.headers.Authorization).not.toContain(TOKEN);
    expect(res.json.request.headers.Authorization).toContain(MASK);
    expect(res.json.warnings.join("\n")).toMatch(/filter rejects this event.*12\.5/);
    expect(res.text).not.toContain(TOKEN);
  });

  it("one per connector per second: a second call within the second is 429 with Retry-After and sends nothing", async () => {
    const id = await connector();
    const other = await connector();
    const event = { name: "order.created", payload: { orderId: "ord_rl" } };
    const first = await testSend(id, { event });
    expect(first.status, first.text).toBe(200);
    const second = await testSend(id, { event });
    expectEnvelope(second, 429, "RATE_LIMITED");
    expect(second.headers.get("retry-after")).toBe("1");
    expect(second.json.error.details.retryAfterMs).toBeGreaterThan(0);
    // Another connector has its own second.
    expect((await testSend(other, { event })).status).toBe(200);
    expect(received("/orders/ord_rl")).toHaveLength(2);
    expect(await auditRows(id)).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 1000));
    expect((await testSend(id, { event })).status).toBe(200);
    expect(received("/orders/ord_rl")).toHaveLength(3);
  });

  it("a destination the SSRF policy refuses: 400 naming the rule, nothing sent, no delivery", async () => {
    // The receiver is listening on 127.0.0.1, which is not allowlisted (only the name localhost is).
    const id = await connector({
      destination: { url: `http://127.0.0.1:${receiver.port}/ssrf`, method: "POST" },
    });
    const res = await testSend(id, { event: { name: "order.created", payload: {} } });
    expectEnvelope(res, 400, "VALIDATION_FAILED");
    expect(res.json.error.message).toMatch(/SSRF.*127\.0\.0\.1.*loopback/);
    expect(res.json.error.details.rule).toBe("loopback");
    expect(received("/ssrf")).toHaveLength(0);
    expect(await deliveriesOf(id)).toHaveLength(0);
    expect((await auditRows(id))[0]!.details).toMatchObject({ outcome: "refused", rule: "loopback" });

    const metadata = await connector({
      destination: { url: "http://169.254.169.254/latest/meta-data/", method: "GET" },
    });
    const res2 = await testSend(metadata);
    expectEnvelope(res2, 400);
    expect(res2.json.error.details.rule).toBe("link_local");
  });

  it("an error status, a timeout: still 200, with what a delivery would do", async () => {
    const fail = await connector({ destination: { url: `http://localhost:${receiver.port}/fail`, method: "POST" } });
    const a = await testSend(fail, { event: { name: "order.created", payload: {} } });
    expect(a.status, a.text).toBe(200);
    expect(a.json).toMatchObject({ outcome: "retryable", response: { status: 503, body: "try later" } });
    expect(a.json.error).toMatch(/HTTP 503/);

    const reject = await connector({
      destination: { url: `http://localhost:${receiver.port}/reject`, method: "POST" },
    });
    const b = await testSend(reject, { event: { name: "order.created", payload: {} } });
    expect(b.json).toMatchObject({ outcome: "permanent", response: { status: 400 } });
    expect(b.json.error).toMatch(/HTTP 400.*not retryable/);

    const slow = await connector({
      timeoutMs: 300,
      destination: { url: `http://localhost:${receiver.port}/slow`, method: "POST" },
    });
    const started = Date.now();
    const c = await testSend(slow, { event: { name: "order.created", payload: {} } });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(c.status, c.text).toBe(200);
    expect(c.json).toMatchObject({ outcome: "retryable", response: null });
    expect(c.json.error).toMatch(/No response within 300 ms/);
    expect(c.json.durationMs).toBeGreaterThanOrEqual(250);
    for (const id of [fail, reject, slow]) expect(await deliveriesOf(id)).toHaveLength(0);
  });

  it("a request that cannot be built (a secret not set) is 422 and sends nothing", async () => {
    const id = await connector({
      destination: {
        url: `http://localhost:${receiver.port}/nosecret`,
        method: "POST",
        headers: { "X-Key": "<<secret.missing>>" },
      },
    });
    const res = await testSend(id, { event: { name: "order.created", payload: {} } });
    expectEnvelope(res, 422, "UNPROCESSABLE");
    expect(res.json.error.message).toMatch(/missing/);
    expect(received("/nosecret")).toHaveLength(0);
    expect((await auditRows(id))[0]!.details).toMatchObject({ outcome: "not sent" });
  });

  it("needs connectors.write; an unknown connector is 404; a bad event is 400", async () => {
    const id = await connector();
    expectEnvelope(await testSend(id, {}, engine.tokens.viewer), 403, "FORBIDDEN");
    expectEnvelope(await testSend(id, {}, null as unknown as string), 401);
    expectEnvelope(await testSend("con_nope", {}), 404, "NOT_FOUND");
    expectEnvelope(await testSend(id, { event: { payload: {}, extra: 1 } }), 400, "VALIDATION_FAILED");
    expectEnvelope(await testSend(id, { nonsense: true }), 400, "VALIDATION_FAILED");
    expect(await auditRows(id)).toHaveLength(0);
  });

  it("is in /openapi.json with its request, answer and errors", async () => {
    const doc = (await engine.api("GET", "/openapi.json")).json;
    const op = doc.paths["/admin/integration-builder/connectors/{id}/test"].post;
    expect(op["x-permission"]).toBe("connectors.write");
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "404", "422", "429"]));
    expect(doc.components.schemas.TestSendResult.example.outcome).toBe("success");
    expect(doc.components.schemas.TestSendRequest.example.event.name).toBe("order.created");
  });

  it("documents filter and expressions with PUT examples the engine accepts", async () => {
    const doc = (await engine.api("GET", "/openapi.json")).json;
    const examples = doc.paths["/admin/integration-builder/connectors"].put.requestBody.content["application/json"]
      .examples as Record<string, { value: Record<string, unknown> }>;
    expect(Object.keys(examples)).toEqual(["plain", "expressionsAndRules", "expressionFilter"]);
    expect(JSON.stringify(examples)).toContain('"filter":{"all"');
    expect(JSON.stringify(examples)).toContain('"filter":{"expression"');
    expect(doc.components.schemas.ConnectorInput.properties.filter.description).toMatch(/expression/);
    for (const [name, { value }] of Object.entries(examples)) {
      const res = await engine.api("PUT", `${BASE}/connectors`, { body: value });
      expect(res.status, `${name}: ${res.text}`).toBe(201);
      expect(res.json.filter ?? null).toEqual(value.filter ?? null);
    }
  });
});
