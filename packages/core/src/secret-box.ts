import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM with a random 96-bit IV. The stored form is base64(iv | tag | ciphertext).
 * `aad` binds a ciphertext to its owner (e.g. `con_123:apiKey`), so a row copied onto another
 * connector or renamed does not decrypt.
 */
export function encryptSecret(key: Buffer, plaintext: string, aad: string): string {
  assertKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function decryptSecret(key: Buffer, stored: string, aad: string): string {
  assertKey(key);
  const raw = Buffer.from(stored, "base64");
  if (raw.length < 28) throw new Error("ciphertext is too short");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** Parse a master key given as base64 (or base64url) of exactly 32 bytes. */
export function parseMasterKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new Error("IB_MASTER_KEY must be 32 bytes, base64-encoded");
  return key;
}

function assertKey(key: Buffer) {
  if (key.length !== 32) throw new Error("the master key must be 32 bytes");
}
