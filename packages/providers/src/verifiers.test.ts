import { createHmac, randomBytes } from "node:crypto";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "./verifiers.ts";

const stripe = new Stripe("sk_test_unused");
const enc = (s: string) => new TextEncoder().encode(s);
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("stripe verifier (signed with stripe.webhooks.generateTestHeaderString)", () => {
  const secret = "whsec_test_stripe_secret_1";
  const payload = JSON.stringify({
    id: "evt_1Abc",
    type: "payment_intent.succeeded",
    data: { object: { id: "pi_1" } },
  });

  it("accepts a fresh signature and reads the event id and type", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const result = verifyWebhook({
      verifier: "stripe",
      headers: { "Stripe-Signature": header },
      rawBody: enc(payload),
      secrets: [secret],
    });
    expect(result).toEqual({
      ok: true,
      providerEventId: "evt_1Abc",
      eventType: "payment_intent.succeeded",
      secretIndex: 0,
      signedAt: expect.any(Number),
    });
  });

  it("accepts any of several active secrets (rotation)", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const result = verifyWebhook({
      verifier: "stripe",
      headers: { "stripe-signature": header },
      rawBody: enc(payload),
      secrets: ["whsec_old", secret],
    });
    expect(result.ok && result.secretIndex).toBe(1);
  });

  it("rejects a body changed by one byte, a wrong secret, a missing header", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const tampered = verifyWebhook({
      verifier: "stripe",
      headers: { "stripe-signature": header },
      rawBody: enc(`${payload} `),
      secrets: [secret],
    });
    expect(tampered).toMatchObject({ ok: false, reason: "bad_signature" });
    const wrong = verifyWebhook({
      verifier: "stripe",
      headers: { "stripe-signature": header },
      rawBody: enc(payload),
      secrets: ["whsec_other"],
    });
    expect(wrong).toMatchObject({ ok: false, reason: "bad_signature" });
    const missing = verifyWebhook({ verifier: "stripe", headers: {}, rawBody: enc(payload), secrets: [secret] });
    expect(missing).toMatchObject({ ok: false, reason: "missing_signature" });
    const garbage = verifyWebhook({
      verifier: "stripe",
      headers: { "stripe-signature": "t=abc,v1=zz" },
      rawBody: enc(payload),
      secrets: [secret],
    });
    expect(garbage).toMatchObject({ ok: false, reason: "missing_signature" });
  });

  it("rejects a correctly signed but stale timestamp (300 s tolerance) as stale", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: nowSeconds() - 301 });
    const result = verifyWebhook({
      verifier: "stripe",
      headers: { "stripe-signature": header },
      rawBody: enc(payload),
      secrets: [secret],
    });
    expect(result).toMatchObject({ ok: false, reason: "stale_timestamp" });
    const fresh = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: nowSeconds() - 290 });
    expect(
      verifyWebhook({
        verifier: "stripe",
        headers: { "stripe-signature": fresh },
        rawBody: enc(payload),
        secrets: [secret],
      }).ok,
    ).toBe(true);
  });

  it("agrees with Stripe's own verifier", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect(stripe.webhooks.constructEvent(payload, header, secret).id).toBe("evt_1Abc");
  });
});

describe("github verifier (signed with @octokit/webhooks-methods)", () => {
  const secret = "It's a Secret to Everybody";
  const payload = JSON.stringify({ action: "opened", issue: { number: 1 } });

  it("accepts X-Hub-Signature-256 and reads delivery id and event.action", async () => {
    const signature = await githubSign(secret, payload);
    const result = verifyWebhook({
      verifier: "github",
      headers: {
        "X-Hub-Signature-256": signature,
        "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-GitHub-Event": "issues",
      },
      rawBody: enc(payload),
      secrets: [secret],
    });
    expect(result).toEqual({
      ok: true,
      providerEventId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      eventType: "issues.opened",
      secretIndex: 0,
      signedAt: null,
    });
  });

  it("matches GitHub's documented test vector", () => {
    // docs.github.com "Validating webhook deliveries": secret and payload below give this signature.
    const result = verifyWebhook({
      verifier: "github",
      headers: { "x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
      rawBody: enc("Hello, World!"),
      secrets: [secret],
    });
    expect(result.ok).toBe(true);
  });

  it("rejects a wrong signature and a missing one", async () => {
    const signature = await githubSign("another secret", payload);
    expect(
      verifyWebhook({
        verifier: "github",
        headers: { "x-hub-signature-256": signature },
        rawBody: enc(payload),
        secrets: [secret],
      }),
    ).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook({ verifier: "github", headers: {}, rawBody: enc(payload), secrets: [secret] })).toMatchObject({
      ok: false,
      reason: "missing_signature",
    });
  });
});

describe("standard-webhooks verifier (signed with standardwebhooks)", () => {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const payload = JSON.stringify({ type: "invoice.paid", data: { id: "in_1" } });

  it("accepts webhook-* headers and svix-* headers", () => {
    const wh = new Webhook(secret);
    const at = new Date();
    const signature = wh.sign("msg_2Lh9", at, payload);
    const ts = String(Math.floor(at.getTime() / 1000));
    const std = verifyWebhook({
      verifier: "standard-webhooks",
      headers: { "webhook-id": "msg_2Lh9", "webhook-timestamp": ts, "webhook-signature": signature },
      rawBody: enc(payload),
      secrets: [secret],
    });
    expect(std).toEqual({
      ok: true,
      providerEventId: "msg_2Lh9",
      eventType: "invoice.paid",
      secretIndex: 0,
      signedAt: Number(ts),
    });
    const svix = verifyWebhook({
      verifier: "standard-webhooks",
      headers: { "svix-id": "msg_2Lh9", "svix-timestamp": ts, "svix-signature": `v1,bogus ${signature}` },
      rawBody: enc(payload),
      secrets: ["whsec_b2xkc2VjcmV0b2xkc2VjcmV0", secret],
    });
    expect(svix).toMatchObject({ ok: true, secretIndex: 1 });
  });

  it("rejects stale timestamps, wrong ids and missing headers", () => {
    const wh = new Webhook(secret);
    const old = new Date(Date.now() - 10 * 60_000);
    const signature = wh.sign("msg_1", old, payload);
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(Math.floor(old.getTime() / 1000)),
      "webhook-signature": signature,
    };
    expect(
      verifyWebhook({ verifier: "standard-webhooks", headers, rawBody: enc(payload), secrets: [secret] }),
    ).toMatchObject({ ok: false, reason: "stale_timestamp" });
    expect(
      verifyWebhook({
        verifier: "standard-webhooks",
        headers: { ...headers, "webhook-id": "msg_2" },
        rawBody: enc(payload),
        secrets: [secret],
      }),
    ).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(
      verifyWebhook({
        verifier: "standard-webhooks",
        headers: { "webhook-id": "msg_1" },
        rawBody: enc(payload),
        secrets: [secret],
      }),
    ).toMatchObject({ ok: false, reason: "missing_signature" });
  });
});

describe("shopify verifier (HMAC-SHA256 of the raw body, base64, per shopify.dev)", () => {
  const secret = "shpss_client_secret";
  const payload = JSON.stringify({ id: 820982911946154500, email: "jon@example.com" });
  const hmac = createHmac("sha256", secret).update(payload, "utf8").digest("base64");

  it("accepts X-Shopify-Hmac-Sha256 and reads event id and topic", () => {
    const result = verifyWebhook({
      verifier: "shopify",
      headers: {
        "X-Shopify-Hmac-Sha256": hmac,
        "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
        "X-Shopify-Topic": "orders/create",
      },
      rawBody: enc(payload),
      secrets: [secret],
    });
    expect(result).toEqual({
      ok: true,
      providerEventId: "98880550-7158-44d4-b7cd-2c97c8a091b5",
      eventType: "orders/create",
      secretIndex: 0,
      signedAt: null,
    });
  });

  it("rejects a hex signature, a wrong one and a missing one", () => {
    const hex = createHmac("sha256", secret).update(payload).digest("hex");
    expect(
      verifyWebhook({
        verifier: "shopify",
        headers: { "x-shopify-hmac-sha256": hex },
        rawBody: enc(payload),
        secrets: [secret],
      }).ok,
    ).toBe(false);
    expect(
      verifyWebhook({
        verifier: "shopify",
        headers: { "x-shopify-hmac-sha256": hmac },
        rawBody: enc(`${payload}\n`),
        secrets: [secret],
      }),
    ).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(verifyWebhook({ verifier: "shopify", headers: {}, rawBody: enc(payload), secrets: [secret] })).toMatchObject(
      { ok: false, reason: "missing_signature" },
    );
  });
});

describe("generic-hmac verifier", () => {
  const secret = "generic-secret";
  const payload = JSON.stringify({ event: { id: "e-77", kind: "ride.finished" } });

  it("sha512, base64, prefix, timestamp, id and type from paths", () => {
    const ts = String(nowSeconds());
    const sig = createHmac("sha512", secret).update(`${ts}:${payload}`).digest("base64");
    const config = {
      header: "X-Signature",
      algorithm: "sha512",
      encoding: "base64",
      prefix: "v1=",
      timestampHeader: "X-Timestamp",
      signedPayload: "{timestamp}:{body}",
      eventIdPath: "event.id",
      eventTypePath: "event.kind",
    };
    const result = verifyWebhook({
      verifier: "generic-hmac",
      config,
      headers: { "x-signature": `v1=${sig}`, "x-timestamp": ts },
      rawBody: enc(payload),
      secrets: [secret],
    });
    expect(result).toEqual({
      ok: true,
      providerEventId: "e-77",
      eventType: "ride.finished",
      secretIndex: 0,
      signedAt: Number(ts),
    });
    const oldTs = String(nowSeconds() - 3600);
    const oldSig = createHmac("sha512", secret).update(`${oldTs}:${payload}`).digest("base64");
    expect(
      verifyWebhook({
        verifier: "generic-hmac",
        config,
        headers: { "x-signature": `v1=${oldSig}`, "x-timestamp": oldTs },
        rawBody: enc(payload),
        secrets: [secret],
      }),
    ).toMatchObject({ ok: false, reason: "stale_timestamp" });
    expect(
      verifyWebhook({
        verifier: "generic-hmac",
        config,
        headers: { "x-signature": `v1=${sig}` },
        rawBody: enc(payload),
        secrets: [secret],
      }),
    ).toMatchObject({ ok: false, reason: "missing_signature" });
  });

  it("sha256 hex over the body alone", () => {
    const sig = createHmac("sha256", secret).update(payload).digest("hex");
    const config = { header: "X-Sig" };
    expect(
      verifyWebhook({
        verifier: "generic-hmac",
        config,
        headers: { "x-sig": sig },
        rawBody: enc(payload),
        secrets: [secret],
      }).ok,
    ).toBe(true);
    expect(
      verifyWebhook({
        verifier: "generic-hmac",
        config,
        headers: { "x-sig": sig.toUpperCase() },
        rawBody: enc(payload),
        secrets: ["x"],
      }),
    ).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("no secret at all is its own failure", () => {
    expect(verifyWebhook({ verifier: "github", headers: {}, rawBody: enc("{}"), secrets: [] })).toMatchObject({
      ok: false,
      reason: "no_secret",
    });
  });
});
