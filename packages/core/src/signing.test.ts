import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { SigningSecretError, signingKey, standardWebhookHeaders } from "./signing.ts";

describe("Standard Webhooks signing", () => {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;

  it("produces headers the standardwebhooks package verifies", () => {
    const body = JSON.stringify({ hello: "wörld", n: 1 });
    const headers = standardWebhookHeaders({ secret, id: "dlv_123", body });
    expect(new Webhook(secret).verify(body, headers)).toEqual({ hello: "wörld", n: 1 });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    // The spec lets a receiver accept any of several space-separated signatures (key rotation).
    const rotated = { ...headers, "webhook-signature": `v1,bogus ${headers["webhook-signature"]}` };
    expect(new Webhook(secret).verify(body, rotated)).toEqual({ hello: "wörld", n: 1 });
  });

  it("refuses malformed secrets", () => {
    expect(() => signingKey("whsec_not base64!")).toThrow(SigningSecretError);
    expect(() => signingKey("whsec_AAAA")).toThrow(/16 bytes/);
  });
});
