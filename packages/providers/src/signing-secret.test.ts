import { signingKey } from "@ib/core/signing";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSigningSecret, signingSecretProblem } from "./signing-secret.ts";

describe("signing secrets", () => {
  it("generates whsec_ + base64 of 32 random bytes, different every time", () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateSigningSecret()));
    expect(secrets.size).toBe(50);
    for (const s of secrets) {
      expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(s.slice(6), "base64")).toHaveLength(32);
      expect(signingSecretProblem(s)).toBeNull();
    }
    expect(Buffer.from(generateSigningSecret(24).slice(6), "base64")).toHaveLength(24);
    expect(() => generateSigningSecret(8)).toThrow(RangeError);
  });

  it("what it accepts, the engine can sign with and a Standard Webhooks receiver can verify", () => {
    const secret = generateSigningSecret();
    expect(signingKey(secret)).toHaveLength(32);
    const wh = new Webhook(secret);
    const id = "msg_1";
    const at = new Date();
    const signature = wh.sign(id, at, '{"ok":true}');
    expect(
      wh.verify('{"ok":true}', {
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      }),
    ).toEqual({ ok: true });
  });

  it("explains what is wrong with anything else, agreeing with the engine's signer", () => {
    expect(signingSecretProblem("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toMatch(/must start with whsec_/);
    expect(signingSecretProblem("whsec_not base64!")).toMatch(/base64/);
    // 12 bytes: base64 enough to pass a character check, too short for the signer.
    const short = `whsec_${Buffer.alloc(12, 7).toString("base64")}`;
    expect(signingSecretProblem(short)).toMatch(/at least 16 bytes \(it is 12\)/);
    expect(() => signingKey(short)).toThrow();
    const sixteen = `whsec_${Buffer.alloc(16, 7).toString("base64")}`;
    expect(signingSecretProblem(sixteen)).toBeNull();
    expect(signingKey(sixteen)).toHaveLength(16);
    // Unpadded base64 is still the same key.
    expect(signingSecretProblem(sixteen.replace(/=+$/, ""))).toBeNull();
  });
});
