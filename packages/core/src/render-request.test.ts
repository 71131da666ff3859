import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventEnvelope, MappingError, redactSecretValues, renderRequest, SECRET_MASK } from "./render-request.ts";

const event: EventEnvelope = {
  id: "evt_01",
  name: "order.created",
  source: "shop",
  time: "2026-01-01T00:00:00.000Z",
  payload: { orderId: "ord 42/x", total: 12.5, items: [{ sku: "A-1" }], meta: { a: 1, b: [true, null] } },
};
const secrets = { token: "tok-SECRET-123", apiKey: "key/SECRET+456" };

async function errorOf(fn: () => Promise<unknown>): Promise<MappingError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return error as MappingError;
  }
  throw new Error("expected a MappingError");
}

describe("renderRequest", () => {
  it("renders URL, query, headers and a JSON body, and masks secrets in the redacted copy", async () => {
    const out = await renderRequest({
      destination: {
        url: "https://erp.example.com/orders/<<event.payload.orderId>>?v=1",
        method: "POST",
        headers: { Authorization: "Bearer <<secret.token>>", "X-Event": "<<event.name>>" },
        query: { key: "<<secret.apiKey>>", total: "$.payload.total" },
      },
      mapping: { orderId: "$.payload.orderId", auth: "<<secret.token>>" },
      event,
      secrets,
    });
    expect(out.request).toEqual({
      method: "POST",
      url: "https://erp.example.com/orders/ord%2042%2Fx?v=1&key=key%2FSECRET%2B456&total=12.5",
      headers: {
        Authorization: "Bearer tok-SECRET-123",
        "X-Event": "order.created",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ orderId: "ord 42/x", auth: "tok-SECRET-123" }),
    });
    expect(out.redacted).toEqual({
      method: "POST",
      url: `https://erp.example.com/orders/ord%2042%2Fx?v=1&key=${SECRET_MASK}&total=12.5`,
      headers: {
        Authorization: `Bearer ${SECRET_MASK}`,
        "X-Event": "order.created",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ orderId: "ord 42/x", auth: SECRET_MASK }),
    });
    expect(out.warnings).toEqual([]);
  });

  it("an event value cannot change the URL's host or path shape", async () => {
    const e = { ...event, payload: { id: "../admin@evil.example.com/#" } };
    const out = await renderRequest({
      destination: { url: "https://api.example.com/items/<<event.payload.id>>", method: "GET" },
      mapping: null,
      event: e,
      secrets: {},
    });
    const url = new URL(out.request.url);
    expect(url.host).toBe("api.example.com");
    expect(url.pathname).toBe("/items/..%2Fadmin%40evil.example.com%2F%23");
  });

  it("GET and DELETE without a mapping send no body; POST without one sends the envelope", async () => {
    for (const method of ["GET", "DELETE"] as const) {
      const out = await renderRequest({
        destination: { url: "https://a.example", method },
        mapping: undefined,
        event,
        secrets,
      });
      expect(out.request.body).toBeUndefined();
      expect(out.request.headers).toEqual({});
    }
    const post = await renderRequest({
      destination: { url: "https://a.example", method: "POST" },
      mapping: null,
      event,
      secrets,
    });
    expect(JSON.parse(post.request.body as string)).toEqual(event);
    const get = await renderRequest({
      destination: { url: "https://a.example", method: "GET" },
      mapping: { a: 1 },
      event,
      secrets,
    });
    expect(get.request.body).toBeUndefined();
    expect(get.warnings[0]).toMatch(/GET requests carry no body/);
  });

  it("leaves a field an expression gave no value out of a form body, as out of a JSON one", async () => {
    for (const bodyEncoding of ["form", "json"] as const) {
      const out = await renderRequest({
        destination: { url: "https://pay.example/charges", method: "POST", bodyEncoding },
        mapping: { To: "{% $exists(payload.phone) ? payload.phone %}", nested: { at: "{% payload.nope %}" }, b: "x" },
        event,
        secrets,
      });
      expect(out.request.body).toBe(bodyEncoding === "form" ? "b=x" : '{"nested":{},"b":"x"}');
      expect(out.warnings.filter((w) => /left out/.test(w))).toHaveLength(2);
    }
  });

  it("encodes form and text bodies with their content types; a connector's Content-Type wins", async () => {
    const form = await renderRequest({
      destination: { url: "https://pay.example/charges", method: "POST", bodyEncoding: "form" },
      mapping: {
        amount: "$.payload.total",
        metadata: { order: "$.payload.orderId" },
        items: "$.payload.items",
        key: "<<secret.apiKey>>",
      },
      event,
      secrets,
    });
    expect(form.request.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(form.request.body).toBe(
      "amount=12.5&metadata%5Border%5D=ord+42%2Fx&items%5B0%5D%5Bsku%5D=A-1&key=key%2FSECRET%2B456",
    );
    expect(form.redacted.body).toBe(
      `amount=12.5&metadata%5Border%5D=ord+42%2Fx&items%5B0%5D%5Bsku%5D=A-1&key=${SECRET_MASK}`,
    );
    const text = await renderRequest({
      destination: {
        url: "https://sms.example",
        method: "PUT",
        bodyEncoding: "text",
        headers: { "content-type": "text/csv" },
      },
      mapping: "<<event.payload.orderId>>,<<event.payload.total>>",
      event,
      secrets,
    });
    expect(text.request.headers).toEqual({ "content-type": "text/csv" });
    expect(text.request.body).toBe("ord 42/x,12.5");
    expect(
      (
        await errorOf(() =>
          renderRequest({
            destination: { url: "https://a.example", method: "POST", bodyEncoding: "form" },
            mapping: "x",
            event,
            secrets,
          }),
        )
      ).code,
    ).toBe("INVALID_BODY");
  });

  it("fails clearly on a missing secret, a bad URL or a bad header", async () => {
    const missing = await errorOf(() =>
      renderRequest({
        destination: { url: "https://a.example", method: "POST", headers: { A: "<<secret.nope>>" } },
        mapping: null,
        event,
        secrets,
      }),
    );
    expect(missing.code).toBe("MISSING_SECRET");
    expect(missing.message).toContain("nope");
    expect(
      (
        await errorOf(() =>
          renderRequest({ destination: { url: "ftp://a.example", method: "POST" }, mapping: null, event, secrets }),
        )
      ).code,
    ).toBe("INVALID_URL");
    expect(
      (
        await errorOf(() =>
          renderRequest({
            destination: { url: "<<event.payload.nope>>", method: "POST" },
            mapping: null,
            event,
            secrets,
          }),
        )
      ).code,
    ).toBe("INVALID_URL");
    expect(
      (
        await errorOf(() =>
          renderRequest({
            destination: { url: "https://a.example", method: "POST", headers: { "Bad Name": "x" } },
            mapping: null,
            event,
            secrets,
          }),
        )
      ).code,
    ).toBe("INVALID_HEADER");
    const crlf = { ...event, payload: { v: "a\r\nX-Injected: 1" } };
    const injected = await errorOf(() =>
      renderRequest({
        destination: { url: "https://a.example", method: "POST", headers: { "X-V": "<<event.payload.v>>" } },
        mapping: null,
        event: crlf,
        secrets,
      }),
    );
    expect(injected.code).toBe("INVALID_HEADER");
    expect(
      (
        await errorOf(() =>
          renderRequest({
            destination: { url: "https://a.example", method: "TRACE" as never },
            mapping: null,
            event,
            secrets,
          }),
        )
      ).code,
    ).toBe("INVALID_MAPPING");
  });

  it("error messages never carry a secret value", async () => {
    const secret = "pw-secret-value-42";
    for (const destination of [
      { url: "https://<<secret.s>> x/", method: "POST" as const },
      { url: "https://a.example/", method: "POST" as const, headers: { "X-A": "<<secret.s>>\r\n" } },
      { url: "<<secret.s>>", method: "POST" as const },
    ]) {
      const error = await errorOf(() => renderRequest({ destination, mapping: null, event, secrets: { s: secret } }));
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain("pw-secret");
    }
  });

  it("redactSecretValues masks echoed secrets in any spelling", async () => {
    const echoed = `{"auth":"Bearer ${secrets.token}","url":"/x?k=${encodeURIComponent(secrets.apiKey)}","q":"${new URLSearchParams({ k: secrets.apiKey })}"}`;
    const out = redactSecretValues(echoed, secrets);
    expect(out).not.toContain(secrets.token);
    expect(out).not.toContain(encodeURIComponent(secrets.apiKey));
    expect(out).not.toContain("SECRET");
    expect(redactSecretValues("nothing here", secrets)).toBe("nothing here");
  });

  it("missing secrets become warnings in preview mode", async () => {
    const out = await renderRequest({
      destination: { url: "https://a.example", method: "POST", headers: { Authorization: "Bearer <<secret.nope>>" } },
      mapping: { a: "$.payload.gone" },
      event,
      secrets: {},
      missingSecret: "warn",
    });
    expect(out.missingSecrets).toEqual(["nope"]);
    expect(out.warnings).toEqual([
      'Secret "nope" is not set on this connector (rendered as empty)',
      "Missing event path $.payload.gone (rendered as null)",
    ]);
  });

  it("masks a secret value that reaches the request through the event too", async () => {
    const leaky = { ...event, payload: { echo: "tok-SECRET-123" } };
    const out = await renderRequest({
      destination: { url: "https://a.example/<<event.payload.echo>>", method: "POST" },
      mapping: { echo: "$.payload.echo" },
      event: leaky,
      secrets,
    });
    expect(JSON.stringify(out.redacted)).not.toContain("tok-SECRET-123");
  });

  it("property: the redacted request never contains a secret value, whatever the secret", async () => {
    const secretArb = fc.string({ minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        fc.constantFrom<"json" | "form" | "text">("json", "form", "text"),
        async (secret, bodyEncoding) => {
          const out = await renderRequest({
            destination: {
              url: "https://a.example/p/<<secret.s>>",
              method: "POST",
              bodyEncoding,
              query: { q: "<<secret.s>>" },
            },
            mapping: { v: "x<<secret.s>>y", w: ["<<secret.s>>"] },
            event,
            secrets: { s: secret },
            missingSecret: "warn",
          });
          const redacted = JSON.stringify(out.redacted);
          // Short secrets may coincide with ordinary text; the invariant is about real values of useful length.
          if (secret.length >= 4 && !"https://a.example/p/?q=v=w=xy[]{}".includes(secret)) {
            for (const spelling of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
              expect(redacted).not.toContain(spelling);
            }
          }
          expect(out.redacted.body).toContain(SECRET_MASK);
        },
      ),
      { numRuns: 300 },
    );
  });
});
