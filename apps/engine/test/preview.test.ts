import { execute } from "@ib/db";
import { type Receiver, startReceiver } from "@ib/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder";
const MASK = "••••••";
const TOKEN = "tok-preview-9f8e7d6c5b4a";
const API_KEY = "key/preview+0123456789";

describe.each(testDrivers())("preview on %s", (driver) => {
  let engine: TestEngine;
  // A local server the preview must never call.
  let local: Receiver;

  beforeAll(async () => {
    engine = await startTestEngine(driver);
    local = await startReceiver();
  });
  afterAll(async () => {
    await local?.close();
    await engine?.close();
  });

  let n = 0;
  function draft(patch: Record<string, unknown> = {}) {
    n++;
    return {
      name: `preview ${n}`,
      sourceEvent: "order.created",
      destination: {
        url: "https://93.184.215.14/orders/<<event.payload.orderId>>",
        method: "POST",
        headers: { Authorization: "Bearer <<secret.token>>", "X-Event": "<<event.name>>" },
        query: { key: "<<secret.apiKey>>", total: "$.payload.total" },
      },
      mapping: {
        eventId: "$.id",
        orderId: "$.payload.orderId",
        sku: "<<event.payload.items.0.sku>>",
        auth: "Bearer <<secret.token>>",
        note: "$.payload.note",
      },
      sampleEvent: {
        id: "evt_sample",
        name: "order.created",
        payload: { orderId: "ord_1", total: 5, items: [{ sku: "S-1" }] },
      },
      ...patch,
    };
  }

  async function saved(patch: Record<string, unknown> = {}) {
    const res = await engine.api("PUT", `${BASE}/connectors`, { body: draft(patch) });
    expect(res.status, res.text).toBe(201);
    const id = res.json.id as string;
    for (const [name, value] of [
      ["token", TOKEN],
      ["apiKey", API_KEY],
    ]) {
      expect((await engine.api("POST", `${BASE}/connectors/${id}/secret`, { body: { name, value } })).status).toBe(200);
    }
    return id;
  }

  async function preview(body: unknown, token?: string) {
    return engine.api("POST", `${BASE}/preview`, { body, token });
  }

  function expectNoSecret(text: string) {
    for (const v of [TOKEN, API_KEY, encodeURIComponent(API_KEY), "tok-preview", "9f8e7d6c"])
      expect(text).not.toContain(v);
  }

  it("renders a saved connector's complete request with secrets masked", async () => {
    const id = await saved();
    const res = await preview({
      connectorId: id,
      event: {
        name: "order.created",
        payload: { orderId: "ord 42", total: 12.5, items: [{ sku: "A-1" }], note: "hi" },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.request).toEqual({
      method: "POST",
      url: `https://93.184.215.14/orders/ord%2042?key=${MASK}&total=12.5`,
      headers: {
        Authorization: `Bearer ${MASK}`,
        "X-Event": "order.created",
        "Content-Type": "application/json",
        // Added by the worker to every request: the delivery id stands in as dlv_preview.
        "Idempotency-Key": "dlv_preview",
        "webhook-id": "dlv_preview",
        "User-Agent": expect.stringMatching(/^IntegrationBuilder\//),
      },
      body: JSON.stringify({
        eventId: "evt_preview",
        orderId: "ord 42",
        sku: "A-1",
        auth: `Bearer ${MASK}`,
        note: "hi",
      }),
    });
    expect(res.json.warnings).toEqual([]);
    expect(res.json.secrets).toEqual({ used: ["apiKey", "token"], missing: [] });
    expectNoSecret(res.text);
  });

  it("uses the sampleEvent when no event is given, and warns about missing paths and secrets", async () => {
    const res = await preview({ connector: draft() });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.json.request.body)).toEqual({
      eventId: "evt_sample",
      orderId: "ord_1",
      sku: "S-1",
      auth: "Bearer ",
      note: null,
    });
    expect(res.json.warnings).toEqual(
      expect.arrayContaining([
        'Secret "token" is not set on this connector (rendered as empty)',
        'Secret "apiKey" is not set on this connector (rendered as empty)',
        "Missing event path $.payload.note (rendered as null)",
      ]),
    );
    expect(res.json.secrets).toEqual({ used: [], missing: ["apiKey", "token"] });
  });

  it("previews an unsaved edit of a saved connector with that connector's secrets", async () => {
    const id = await saved();
    const got = (await engine.api("GET", `${BASE}/connectors/${id}`)).json;
    const res = await preview({ connector: { ...got, destination: { ...got.destination, method: "PUT" } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.request.method).toBe("PUT");
    expect(res.json.request.headers.Authorization).toBe(`Bearer ${MASK}`);
    expect(res.json.secrets.missing).toEqual([]);
    expectNoSecret(res.text);
  });

  it("never renders text that came from the event: a payload holding a placeholder stays literal", async () => {
    const id = await saved();
    const hostile = "<<secret.token>> {{secret.apiKey}} {{{secret.token}}}";
    const res = await preview({
      connectorId: id,
      event: { name: "order.created", payload: { orderId: hostile, note: hostile, total: 1, items: [] } },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.json.request.body).note).toBe(hostile);
    expectNoSecret(res.text);
  });

  it("masks a secret value even when the event itself carries it", async () => {
    const id = await saved();
    const res = await preview({
      connectorId: id,
      event: { name: "order.created", payload: { note: TOKEN, orderId: API_KEY } },
    });
    expect(res.status).toBe(200);
    expect(res.json.request.body).toContain(MASK);
    // The echoed event is the caller's own input, so it is the one place the value may appear.
    const { event: _event, ...rest } = res.json;
    expectNoSecret(JSON.stringify(rest));
  });

  it("GET sends no body; form encoding and the connector's Content-Type are honoured", async () => {
    const get = await preview({
      connector: draft({ destination: { url: "https://93.184.215.14/x", method: "GET" }, mapping: undefined }),
    });
    expect(get.json.request).toMatchObject({ method: "GET", body: null, headers: {} });
    const form = await preview({
      connector: draft({
        destination: {
          url: "https://93.184.215.14/x",
          method: "POST",
          bodyEncoding: "form",
          headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
        },
        mapping: { order: "$.payload.orderId", meta: { total: "$.payload.total" } },
      }),
    });
    expect(form.json.request.body).toBe("order=ord_1&meta%5Btotal%5D=5");
    expect(form.json.request.headers).toEqual({
      "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
      "Idempotency-Key": "dlv_preview",
      "webhook-id": "dlv_preview",
      "User-Agent": expect.stringMatching(/^IntegrationBuilder\//),
    });
  });

  it("warns about a destination the SSRF policy would refuse, without calling it", async () => {
    for (const url of [
      `${local.url}/hook`,
      "http://169.254.169.254/latest/meta-data",
      "http://10.1.2.3/x",
      "http://[::1]:9/x",
    ]) {
      const res = await preview({ connector: draft({ destination: { url, method: "POST" } }) });
      expect(res.status).toBe(200);
      expect(res.json.warnings.some((w: string) => w.startsWith("The destination would be refused"))).toBe(true);
    }
    const name = await preview({ connector: draft({ destination: { url: "http://localhost:9/x", method: "POST" } }) });
    expect(name.json.warnings.join("\n")).toMatch(/refused|does not resolve/);
    expect(local.received).toHaveLength(0);
  });

  it("no SSRF warning when private destinations are allowed, and still no call", async () => {
    const open = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
    try {
      const res = await open.api("POST", `${BASE}/preview`, {
        body: { connector: draft({ destination: { url: `${local.url}/hook`, method: "POST" } }) },
      });
      expect(res.status).toBe(200);
      expect(res.json.warnings.filter((w: string) => w.includes("refused"))).toEqual([]);
      expect(local.received).toHaveLength(0);
    } finally {
      await open.close();
    }
  });

  it("warns about an event the connector would not receive, a disabled connector and auth secrets not set", async () => {
    const res = await preview({
      connector: draft({
        enabled: false,
        sourceEvent: "payment.*",
        auth: {
          type: "awsSigV4",
          region: "eu-west-1",
          service: "execute-api",
          accessKeyIdSecret: "awsKeyId",
          secretAccessKeySecret: "awsSecret",
        },
      }),
    });
    const warnings = res.json.warnings.join("\n");
    expect(warnings).toContain("sourceEvent payment.* does not match");
    expect(warnings).toContain("disabled");
    expect(warnings).toContain('Secret "awsKeyId" (used by auth) is not set');
    expect(res.json.secrets.missing).toEqual(["apiKey", "awsKeyId", "awsSecret", "token"]);
  });

  describe("errors", () => {
    async function count() {
      const [row] = await execute<{ c: number; a: number }>(
        engine.ctx.db,
        sql`select (select count(*)::int from connectors) as c, (select count(*)::int from audit_log) as a`,
      );
      return row;
    }

    it.each([
      ["neither connector nor connectorId", {}, 400],
      ["both connector and connectorId", { connectorId: "con_x", connector: draft() }, 400],
      ["an ftp destination", { connector: draft({ destination: { url: "ftp://a.example", method: "POST" } }) }, 400],
      ["an unknown method", { connector: draft({ destination: { url: "https://a.example", method: "BREW" } }) }, 400],
      ["an invalid mapping", { connector: draft({ mapping: { a: "<<nope>>" } }) }, 400],
      ["an event that is not an object", { connector: draft(), event: "order.created" }, 400],
      ["an unknown field", { connector: draft(), extra: 1 }, 400],
      ["an unknown connectorId", { connectorId: "con_00000000000000000000000000" }, 404],
    ])("refuses %s", async (_label, body, status) => {
      const before = await count();
      expectEnvelope(await preview(body), status);
      expect(await count()).toEqual(before);
    });

    it("answers 422 when the mapping cannot render (limits) or the URL is not http", async () => {
      const big = { name: "order.created", payload: { s: "x".repeat(200_000) } };
      const res = await preview({
        connector: draft({ mapping: Array.from({ length: 30 }, () => "$.payload.s") }),
        event: big,
      });
      expectEnvelope(res, 422, "UNPROCESSABLE");
      expect(res.json.error.details).toEqual({ mappingError: "LIMIT_EXCEEDED" });
      const url = await preview({
        connector: draft({ destination: { url: "https://<<event.payload.host>>/x", method: "POST" } }),
        event: { name: "order.created", payload: { host: "a b" } },
      });
      expectEnvelope(url, 422, "UNPROCESSABLE");
      expect(url.json.error.details).toEqual({ mappingError: "INVALID_URL" });
    });

    it("refuses malformed JSON", async () => {
      expectEnvelope(
        await engine.api("POST", `${BASE}/preview`, { raw: "{", headers: { "content-type": "application/json" } }),
        400,
      );
    });
  });

  it("is a read: connectors.read suffices, a token is required", async () => {
    const id = await saved();
    for (const role of ["viewer", "support", "finance"] as const) {
      const res = await preview({ connectorId: id }, engine.tokens[role]);
      expect(res.status).toBe(200);
      expectNoSecret(res.text);
    }
    expectEnvelope(await preview({ connectorId: id }, engine.tokens.ingest), 403, "FORBIDDEN");
    expectEnvelope(await engine.api("POST", `${BASE}/preview`, { token: null, body: { connectorId: id } }), 401);
  });
});
