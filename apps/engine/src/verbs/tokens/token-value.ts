import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** `ib_` + 43 characters of base64url: 256 bits of randomness. */
export function generateTokenValue(): string {
  return `ib_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export function tokenPrefix(value: string): string {
  return value.slice(0, 10);
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
