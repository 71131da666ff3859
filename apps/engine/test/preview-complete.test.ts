import { signWebhook } from "@ib/core/signing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { setSecret, startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";
const MASK = "••••••";
const SECRETS = {
  token: "tok-complete-77aa88bb",
  user: "acct_complete",
  pass: "pw-complete-123456",
  signingSecret: `whsec_${Buffer.from("preview-complete-signing-key-32b").toString("base64")}`,
};
/** Added by the HTTP client for the connection, not by the engine: not in a preview. */
const TRANSPORT_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

describe.each(testDrivers())("preview is the complete request on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  let destination: Awaited<ReturnType<typeof startDestination>>;

  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
    destination = await startDestination();
    worker = deliveryWorker(engine.ctx);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    await destination?.close();
    await engine?.close();
  });

  it("has every header a real delivery carries, with the same values but for the delivery id, the time and what is masked", async () => {
    const name = uniqueEventName("order");
    const created = await engine.api("PUT", `${BASE}/connectors`, {
      body: {
        name: "complete preview",
        sourceEvent: name,
        destination: {
          url: `${destination.url}/orders/<<event.payload.orderId>>`,
          method: "POST",
          headers: { "X-Api-Token": "<<secret.token>>", "X-Event": "<<event.name>>" },
          query: { source: "$.source" },
        },
        auth: { type: "basic", usernameSecret: "user", passwordSecret: "pass" },
        mapping: { orderId: "$.payload.orderId", total: "$.payload.total", id: "$.id" },
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    for (const [secret, value] of Object.entries(SECRETS)) {
      expect(
        (await engine.api("POST", `${BASE}/connectors/${id}/secret`, { body: { name: secret, value } })).status,
      ).toBe(200);
    }
    const event = {
      id: `evt_${name.replaceAll(".", "_")}`,
      name,
      source: "shop",
      payload: { orderId: "ord_c1", total: 9.5 },
    };

    const preview = await engine.api("POST", `${BASE}/preview`, { body: { connectorId: id, event } });
    expect(preview.status, preview.text).toBe(200);
    const shown = preview.json.request as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };

    const ingested = await engine.api("POST", "/v1/events", { token: engine.tokens.ingest, body: event });
    expect(ingested.status, ingested.text).toBe(202);
    const deliveryId = ingested.json.deliveries[0].id as string;
    const got = await waitFor(() => destination.received.find((r) => r.headers["webhook-id"] === deliveryId));

    // Method, URL and body: identical.
    expect(shown.method).toBe(got.method);
    expect(new URL(shown.url).pathname + new URL(shown.url).search).toBe(got.url);
    expect(shown.body).toBe(got.body);

    // Headers: the same names, nothing the engine adds missing from preview, nothing extra in it.
    const previewed = Object.fromEntries(Object.entries(shown.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const sent = Object.fromEntries(
      Object.entries(got.headers)
        .filter(([k]) => !TRANSPORT_HEADERS.has(k))
        .map(([k, v]) => [k, String(v)]),
    );
    expect(Object.keys(previewed).sort()).toEqual(Object.keys(sent).sort());
    for (const name of [
      "idempotency-key",
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
      "authorization",
      "x-api-token",
    ]) {
      expect(Object.keys(previewed)).toContain(name);
    }

    // Equal values, except: the delivery id and the time (per delivery), and secrets or values made from them (masked).
    const differ = new Set([
      "idempotency-key",
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
      "authorization",
      "x-api-token",
    ]);
    for (const [header, value] of Object.entries(sent)) {
      if (!differ.has(header)) expect(previewed[header], header).toBe(value);
    }
    expect(previewed["idempotency-key"]).toBe("dlv_preview");
    expect(previewed["webhook-id"]).toBe("dlv_preview");
    expect(sent["idempotency-key"]).toBe(deliveryId);
    expect(Math.abs(Number(previewed["webhook-timestamp"]) - Number(sent["webhook-timestamp"]))).toBeLessThan(30);
    expect(previewed["webhook-signature"]).toBe(`v1,${MASK}`);
    expect(sent["webhook-signature"]).toBe(
      signWebhook({
        secret: SECRETS.signingSecret,
        id: deliveryId,
        timestamp: Number(sent["webhook-timestamp"]),
        body: got.body,
      }),
    );
    expect(previewed.authorization).toMatch(/^Basic \S+$/);
    expect(previewed.authorization).not.toContain(Buffer.from(`${SECRETS.user}:${SECRETS.pass}`).toString("base64"));
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`${SECRETS.user}:${SECRETS.pass}`).toString("base64")}`);
    expect(previewed["x-api-token"]).toBe(MASK);
    expect(sent["x-api-token"]).toBe(SECRETS.token);
    for (const value of Object.values(SECRETS)) expect(preview.text).not.toContain(value);
  });

  it("warns instead of failing when the signing secret or an auth secret is unusable", async () => {
    const created = await engine.api("PUT", `${BASE}/connectors`, {
      body: {
        name: "broken signing",
        sourceEvent: uniqueEventName(),
        destination: { url: `${destination.url}/x`, method: "POST" },
        auth: { type: "basic", usernameSecret: "user", passwordSecret: "pass" },
      },
    });
    const id = created.json.id as string;
    // The secret route refuses a malformed signing secret; one stored before that check still exists.
    await setSecret(engine, id, "signingSecret", "not-a-whsec");
    const res = await engine.api("POST", `${BASE}/preview`, { body: { connectorId: id } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.request.headers["Idempotency-Key"]).toBe("dlv_preview");
    expect(res.json.request.headers["webhook-signature"]).toBeUndefined();
    expect(res.json.warnings.join("\n")).toMatch(/signing secret is not usable/);
    expect(res.json.warnings.join("\n")).toMatch(/Secret "user".*not set/);
    expect(res.text).not.toContain("not-a-whsec");
  });
});
