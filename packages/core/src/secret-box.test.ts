import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, parseMasterKey } from "./secret-box.ts";

describe("secret box (AES-256-GCM)", () => {
  const key = randomBytes(32);

  it("round-trips and never stores the plaintext", () => {
    const stored = encryptSecret(key, "sk_live_123", "con_1:apiKey");
    expect(stored).not.toContain("sk_live_123");
    expect(Buffer.from(stored, "base64").toString("utf8")).not.toContain("sk_live_123");
    expect(decryptSecret(key, stored, "con_1:apiKey")).toBe("sk_live_123");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret(key, "same", "a")).not.toBe(encryptSecret(key, "same", "a"));
  });

  it("refuses another owner's ciphertext, a wrong key and a tampered byte", () => {
    const stored = encryptSecret(key, "value", "con_1:token");
    expect(() => decryptSecret(key, stored, "con_2:token")).toThrow();
    expect(() => decryptSecret(randomBytes(32), stored, "con_1:token")).toThrow();
    const raw = Buffer.from(stored, "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(() => decryptSecret(key, raw.toString("base64"), "con_1:token")).toThrow();
  });

  it("parses a 32-byte base64 master key and rejects others", () => {
    expect(parseMasterKey(key.toString("base64")).equals(key)).toBe(true);
    expect(() => parseMasterKey(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });
});
