import { isHttpUrlTemplate } from "@ib/core/connector-schema";
import { renderRequest } from "@ib/core/render-request";
import { describe, expect, it } from "vitest";
import { getPreset, instantiatePreset, PRESETS, PROVIDER_TYPES, PresetError } from "./presets.ts";
import { applyRequestAuth } from "./request-auth.ts";
import { SIGNING_SECRET_HINT } from "./signing-secret.ts";

const EXAMPLE_PARAMS: Record<string, string> = {
  fromNumber: "+15005550006",
  fromEmail: "orders@example.com",
  bucketUrl: "https://my-bucket.s3.us-east-1.amazonaws.com",
  url: "https://hooks.example.com/orders",
};

/** Render a preset's connector against its own sample event, as the worker would send it. */
async function render(
  id: string,
  secrets: Record<string, string>,
  parameters: Record<string, string> = {},
  payload?: unknown,
) {
  const preset = getPreset(id);
  if (!preset) throw new Error(`no preset ${id}`);
  const connector = instantiatePreset(preset, { parameters });
  const event = {
    id: "evt_01test",
    name: preset.sampleEvent.name,
    source: "test",
    time: "2026-11-22T06:00:00.000Z",
    payload: payload ?? preset.sampleEvent.payload,
  };
  // The HTTP presets' (the broker ones are rendered by the engine's transport tests).
  const destination = connector.destination as Parameters<typeof renderRequest>[0]["destination"];
  const out = await renderRequest({ destination, mapping: connector.mapping, event, secrets });
  const authed = applyRequestAuth(out.request, connector.auth ?? null, secrets, {
    now: new Date("2026-11-22T06:00:00Z"),
  });
  return {
    connector,
    request: { ...out.request, headers: authed.headers },
    redacted: out.redacted,
    warnings: out.warnings,
  };
}

const header = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([h]) => h.toLowerCase() === name.toLowerCase())?.[1];

describe("preset catalogue", () => {
  it("is self-describing and covers every provider type", () => {
    const ids = PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      "stripe-payment-intent",
      "mercadopago-payment",
      "slack-incoming-webhook",
      "twilio-sms",
      "sendgrid-mail-send",
      "google-geocoding",
      "mapbox-geocoding",
      "s3-put-object",
      "http-webhook",
      "standard-webhooks",
    ]) {
      expect(ids).toContain(id);
    }
    for (const type of PROVIDER_TYPES) expect(PRESETS.some((p) => p.providerType === type)).toBe(true);
    for (const p of PRESETS) {
      expect(p.docsUrl).toMatch(/^https:\/\//);
      expect(p.description.length).toBeGreaterThan(20);
      for (const s of p.secrets) expect(s.description.length).toBeGreaterThan(10);
      // Every secret a template reads is declared, and every declared one is read.
      const text = JSON.stringify([p.destination, p.mapping, p.auth ?? null]);
      const used = new Set([...text.matchAll(/<<secret\.([A-Za-z0-9_]+)>>/g)].map((m) => m[1]));
      for (const key of ["usernameSecret", "passwordSecret", "accessKeyIdSecret", "secretAccessKeySecret"] as const) {
        const name = (p.auth as Record<string, string> | undefined)?.[key];
        if (name) used.add(name);
      }
      expect([...used].sort()).toEqual(
        p.secrets
          .map((s) => s.name)
          .filter((n) => n !== "signingSecret")
          .sort(),
      );
    }
  });

  it("speaks to people: a label and help per secret and parameter, no markup, hints that agree with the checks", () => {
    for (const p of PRESETS) {
      for (const text of [p.name, p.description]) expect(text).not.toContain("`");
      for (const field of [...p.secrets, ...p.parameters]) {
        // A label is words, not the raw key (workspaceId -> "Workspace id (T…)").
        expect(field.label, `${p.id}.${field.name}`).toMatch(/^[A-Z][^`]*$/);
        expect(field.label).not.toBe(field.name);
        expect(field.description, `${p.id}.${field.name}`).not.toContain("`");
        expect(field.description.length).toBeGreaterThan(10);
      }
      for (const param of p.parameters) {
        if (param.format === "url") {
          expect(isHttpUrlTemplate(param.example), `${p.id}.${param.name}`).toBe(true);
          expect(param.description).not.toMatch(/\(https\)/); // http:// is accepted too
        }
      }
      for (const secret of p.secrets) {
        // The engine checks signingSecret's format whatever the preset says; the preset must say so.
        if (secret.name === "signingSecret") {
          expect(secret.format).toBe("whsec");
          expect(secret.description).toContain(SIGNING_SECRET_HINT);
        }
      }
    }
  });

  it("instantiation fills parameters, applies overrides, refuses unknown or missing parameters", () => {
    const preset = getPreset("twilio-sms");
    if (!preset) throw new Error("missing");
    expect(() => instantiatePreset(preset)).toThrow(PresetError);
    expect(() => instantiatePreset(preset, { parameters: { fromNumber: "+1", nope: "x" } })).toThrow(
      /Unknown parameter/,
    );
    expect(() => instantiatePreset(preset, { parameters: { fromNumber: "<<secret.authToken>>" } })).toThrow(/template/);
    const c = instantiatePreset(preset, {
      parameters: { fromNumber: "+15005550006" },
      overrides: {
        name: "SMS (BR)",
        sourceEvent: "sms.requested",
        tags: { country: "BR" },
        destination: { headers: { "X-Extra": "1" } },
      },
    });
    expect(c).toMatchObject({
      name: "SMS (BR)",
      sourceEvent: "sms.requested",
      preset: "twilio-sms",
      tags: { providerType: "messaging", country: "BR" },
    });
    expect(c.destination).toMatchObject({ method: "POST", bodyEncoding: "form", headers: { "X-Extra": "1" } });
    expect(JSON.stringify(c)).not.toContain("<<param.");
  });
});

describe("each preset renders the request its provider documents", () => {
  it("Stripe: POST form-encoded to /v1/payment_intents with a bearer secret key", async () => {
    const { request, redacted } = await render("stripe-payment-intent", { secretKey: "sk_test_51Hxyz" });
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://api.stripe.com/v1/payment_intents");
    expect(header(request.headers, "content-type")).toBe("application/x-www-form-urlencoded");
    expect(header(request.headers, "authorization")).toBe("Bearer sk_test_51Hxyz");
    const form = new URLSearchParams(request.body);
    expect(form.get("amount")).toBe("4990");
    expect(form.get("currency")).toBe("usd");
    expect(form.get("automatic_payment_methods[enabled]")).toBe("true");
    expect(form.get("metadata[orderId]")).toBe("ord_1001");
    expect(JSON.stringify(redacted)).not.toContain("sk_test_51Hxyz");
  });

  it("Stripe: amount in the currency's minor units from a decimal amount, currency in lower case", async () => {
    // https://docs.stripe.com/currencies#minor-units: 10 USD is 1000; zero-decimal currencies (JPY, KRW, ...)
    // are sent as is; three-decimal ones (KWD, BHD, ...) in thousandths, rounded to the nearest ten.
    const cases: [Record<string, unknown>, string, string][] = [
      [{ amount: 49.9, currency: "USD" }, "4990", "usd"],
      [{ amount: 19.99, currency: "eur" }, "1999", "eur"],
      [{ amount: 0.1, currency: "usd" }, "10", "usd"],
      [{ amount: 1500, currency: "JPY" }, "1500", "jpy"],
      [{ amount: 52000, currency: "krw" }, "52000", "krw"],
      [{ amount: 7.5, currency: "KWD" }, "7500", "kwd"],
      [{ amount: 12.345, currency: "bhd" }, "12340", "bhd"],
      // amountCents, when the event has it, is already in minor units.
      [{ amountCents: 4990, amount: 1, currency: "usd" }, "4990", "usd"],
    ];
    for (const [payload, amount, currency] of cases) {
      const { request } = await render(
        "stripe-payment-intent",
        { secretKey: "sk_test_51Hxyz" },
        {},
        {
          orderId: "ord_1",
          ...payload,
        },
      );
      const form = new URLSearchParams(request.body);
      expect(form.get("amount"), JSON.stringify(payload)).toBe(amount);
      expect(form.get("currency")).toBe(currency);
    }
  });

  it("Mercado Pago: POST JSON to /v1/payments, bearer token, X-Idempotency-Key", async () => {
    const { request } = await render("mercadopago-payment", { accessToken: "APP_USR-123" });
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://api.mercadopago.com/v1/payments");
    expect(header(request.headers, "content-type")).toBe("application/json");
    expect(header(request.headers, "authorization")).toBe("Bearer APP_USR-123");
    expect(header(request.headers, "x-idempotency-key")).toBe("evt_01test");
    expect(JSON.parse(request.body ?? "")).toMatchObject({
      transaction_amount: 149.9,
      installments: 1,
      payment_method_id: "visa",
      payer: { email: "ana@example.com" },
      // ISO 8601 as Mercado Pago documents it: yyyy-MM-dd'T'HH:mm:ss.SSS with the offset (-03:00 in São Paulo).
      date_of_expiration: "2026-11-25T20:59:59.000-03:00",
    });
  });

  it("Mercado Pago: amount rounded to cents, installments default to 1, no date_of_expiration without expiresAt", async () => {
    const { request, warnings } = await render(
      "mercadopago-payment",
      { accessToken: "APP_USR-123" },
      {},
      {
        orderId: "ord_2",
        amount: 10.006,
        cardToken: "tok",
        paymentMethodId: "master",
        customerEmail: "bo@example.com",
      },
    );
    const body = JSON.parse(request.body ?? "");
    expect(body.transaction_amount).toBe(10.01);
    expect(body.installments).toBe(1);
    expect(body).not.toHaveProperty("date_of_expiration");
    expect(warnings.join()).toMatch(/date_of_expiration.*left out/);
    const withInstallments = await render(
      "mercadopago-payment",
      { accessToken: "APP_USR-123" },
      {},
      {
        amount: 300,
        installments: 3,
        expiresAt: "2027-01-31T12:00:00-05:00",
      },
    );
    expect(JSON.parse(withInstallments.request.body ?? "")).toMatchObject({
      transaction_amount: 300,
      installments: 3,
      date_of_expiration: "2027-01-31T14:00:00.000-03:00",
    });
  });

  it("Slack: POST JSON {text} to the secret webhook URL", async () => {
    const { request, redacted } = await render("slack-incoming-webhook", {
      workspaceId: "T00000000",
      webhookId: "B00000000",
      webhookToken: "XXXXXXXXXXXXXXXXXXXXXXXX",
    });
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX");
    expect(header(request.headers, "content-type")).toBe("application/json");
    expect(JSON.parse(request.body ?? "")).toEqual({ text: "New order ord_1001 for 49.90 USD" });
    expect(redacted.url).not.toContain("XXXXXXXXXXXXXXXXXXXXXXXX");
  });

  it("Twilio: POST form-encoded to Accounts/{sid}/Messages.json with basic auth sid:token", async () => {
    const { request } = await render(
      "twilio-sms",
      { accountSid: "ACabc123", authToken: "tok_secret" },
      { fromNumber: EXAMPLE_PARAMS.fromNumber as string },
    );
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://api.twilio.com/2010-04-01/Accounts/ACabc123/Messages.json");
    expect(header(request.headers, "content-type")).toBe("application/x-www-form-urlencoded");
    expect(header(request.headers, "authorization")).toBe(
      `Basic ${Buffer.from("ACabc123:tok_secret").toString("base64")}`,
    );
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: "+5511999990000",
      From: "+15005550006",
      Body: "Your order ord_1001 shipped",
    });
  });

  it("Twilio: To in E.164 (+, country code, digits) from the ways people write numbers", async () => {
    // https://www.twilio.com/docs/glossary/what-e164: [+][country code][subscriber number], at most 15 digits.
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: "+55 (11) 99999-0000" }, "+5511999990000"],
      [{ phone: "+1 415.555.2671" }, "+14155552671"],
      [{ phone: "0044 20 7946 0958" }, "+442079460958"],
      [{ phone: "07700 900123", countryCode: "44" }, "+447700900123"],
      [{ phone: "(11) 99999-0000", countryCode: "+55" }, "+5511999990000"],
      [{ phone: 14155552671 }, "+14155552671"],
      [{ phone: " 5511999990000 " }, "+5511999990000"],
    ];
    for (const [payload, to] of cases) {
      const { request } = await render(
        "twilio-sms",
        { accountSid: "ACabc123", authToken: "tok_secret" },
        { fromNumber: EXAMPLE_PARAMS.fromNumber as string },
        { ...payload, text: "hi" },
      );
      const form = Object.fromEntries(new URLSearchParams(request.body));
      expect(form.To, JSON.stringify(payload)).toBe(to);
      expect(form.To).toMatch(/^\+[1-9]\d{1,14}$/);
    }
    // No phone: no To (Twilio then answers that To is required), not a bare "+".
    const none = await render(
      "twilio-sms",
      { accountSid: "ACabc123", authToken: "tok_secret" },
      { fromNumber: "+15005550006" },
      { text: "hi" },
    );
    expect(new URLSearchParams(none.request.body).has("To")).toBe(false);
  });

  it("SendGrid: POST JSON to /v3/mail/send with a bearer API key", async () => {
    const { request } = await render("sendgrid-mail-send", { apiKey: "SG.abc" }, { fromEmail: "orders@example.com" });
    expect(request.url).toBe("https://api.sendgrid.com/v3/mail/send");
    expect(header(request.headers, "authorization")).toBe("Bearer SG.abc");
    expect(header(request.headers, "content-type")).toBe("application/json");
    expect(JSON.parse(request.body ?? "")).toEqual({
      personalizations: [{ to: [{ email: "ana@example.com" }] }],
      from: { email: "orders@example.com" },
      subject: "Order ord_1001 shipped",
      content: [{ type: "text/plain", value: "It is on its way." }],
    });
  });

  it("Google Geocoding: GET with address and key as query parameters, no body", async () => {
    const { request, redacted } = await render("google-geocoding", { apiKey: "AIzaSyExample" });
    expect(request.method).toBe("GET");
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe("https://maps.googleapis.com/maps/api/geocode/json");
    expect(url.searchParams.get("address")).toBe("1600 Amphitheatre Parkway, Mountain View, CA");
    expect(url.searchParams.get("key")).toBe("AIzaSyExample");
    expect(request.body).toBeUndefined();
    expect(redacted.url).not.toContain("AIzaSyExample");
  });

  it("Mapbox: GET /search/geocode/v6/forward with q and access_token", async () => {
    const { request } = await render("mapbox-geocoding", { accessToken: "pk.eyJ1Ijo" });
    const url = new URL(request.url);
    expect(request.method).toBe("GET");
    expect(`${url.origin}${url.pathname}`).toBe("https://api.mapbox.com/search/geocode/v6/forward");
    expect(url.searchParams.get("q")).toBe("1600 Amphitheatre Parkway, Mountain View, CA");
    expect(url.searchParams.get("access_token")).toBe("pk.eyJ1Ijo");
    expect(request.body).toBeUndefined();
  });

  it("S3: PUT JSON to bucket/key with a SigV4 Authorization and x-amz-content-sha256", async () => {
    const { request } = await render(
      "s3-put-object",
      { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG" },
      { bucketUrl: EXAMPLE_PARAMS.bucketUrl as string },
    );
    expect(request.method).toBe("PUT");
    expect(request.url).toBe("https://my-bucket.s3.us-east-1.amazonaws.com/events/evt_01test.json");
    expect(header(request.headers, "content-type")).toBe("application/json");
    expect(header(request.headers, "authorization")).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20261122\/us-east-1\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(header(request.headers, "x-amz-content-sha256")).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(request.body ?? "")).toMatchObject({ id: "evt_01test", payload: { orderId: "ord_1001" } });
  });

  it("HTTP webhook and Standard Webhooks: POST the JSON envelope to the given URL", async () => {
    for (const id of ["http-webhook", "standard-webhooks"]) {
      const { request } = await render(
        id,
        { signingSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
        { url: "https://hooks.example.com/orders" },
      );
      expect(request.method).toBe("POST");
      expect(request.url).toBe("https://hooks.example.com/orders");
      expect(header(request.headers, "content-type")).toBe("application/json");
      expect(JSON.parse(request.body ?? "")).toMatchObject({
        id: "evt_01test",
        name: "order.created",
        payload: { orderId: "ord_1001" },
      });
    }
  });
});
