import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { SigningSecretError, signingKey, standardWebhookHeaders, verifyWebhookSignature } from "./signing.ts";

describe("Standard Webhooks signing", () => {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;

  it("produces headers the standardwebhooks package verifies", () => {
    const body = JSON.stringify({ hello: "wörld", n: 1 });
    const headers = standardWebhookHeaders({ secret, id: "dlv_123", body });
    expect(new Webhook(secret).verify(body, headers)).toEqual({ hello: "wörld", n: 1 });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(
      verifyWebhookSignature({
        secret,
        id: "dlv_123",
        timestamp: Number(headers["webhook-timestamp"]),
        body,
        signatureHeader: `v1,bogus ${headers["webhook-signature"]}`,
      }),
    ).toBe(true);
  });

  it("refuses malformed secrets", () => {
    expect(() => signingKey("whsec_not base64!")).toThrow(SigningSecretError);
    expect(() => signingKey("whsec_AAAA")).toThrow(/16 bytes/);
  });
});
