/**
 * Standard Webhooks signing secrets (`whsec_` + base64 of the key), the format of a connector's
 * `signingSecret` and of the secret a receiver verifies with. Pure and browser-safe (Web Crypto), so the
 * engine's check and the admin's Generate button and hint are one rule.
 */

export const SIGNING_SECRET_PREFIX = "whsec_";
/** The engine signs with keys of at least 16 bytes (`signingKey` in @ib/core/signing). */
export const SIGNING_SECRET_MIN_BYTES = 16;
/** What Generate makes: 32 random bytes, inside the 24–64 the Standard Webhooks spec recommends. */
export const GENERATED_SIGNING_SECRET_BYTES = 32;

/** The sentence a person reads about the format, in the preset dialog and in a 400 alike. */
export const SIGNING_SECRET_HINT = `${SIGNING_SECRET_PREFIX} followed by base64 of at least ${SIGNING_SECRET_MIN_BYTES} bytes`;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why `value` is not a usable signing secret, or null when it is. */
export function signingSecretProblem(value: string): string | null {
  if (!value.startsWith(SIGNING_SECRET_PREFIX)) return `must start with ${SIGNING_SECRET_PREFIX}`;
  const b64 = value.slice(SIGNING_SECRET_PREFIX.length);
  if (!BASE64.test(b64) || b64.replace(/=+$/, "").length % 4 === 1) {
    return `must be ${SIGNING_SECRET_PREFIX} followed by base64 (A–Z, a–z, 0–9, + and /)`;
  }
  const bytes = Math.floor((b64.replace(/=+$/, "").length * 3) / 4);
  if (bytes < SIGNING_SECRET_MIN_BYTES) {
    return `is too short: the key after ${SIGNING_SECRET_PREFIX} must be at least ${SIGNING_SECRET_MIN_BYTES} bytes (it is ${bytes})`;
  }
  return null;
}

/** A fresh secret from the platform's cryptographic random source: `whsec_` + base64 of `bytes` bytes. */
export function generateSigningSecret(bytes = GENERATED_SIGNING_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < 24 || bytes > 64) throw new RangeError("bytes must be 24 to 64");
  const key = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(key);
  let binary = "";
  for (const b of key) binary += String.fromCharCode(b);
  return SIGNING_SECRET_PREFIX + btoa(binary);
}
