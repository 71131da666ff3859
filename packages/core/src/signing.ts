import { createHmac } from "node:crypto";

/**
 * Standard Webhooks (https://www.standardwebhooks.com) signatures for outbound requests:
 * `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, where the key is the
 * base64 part of a `whsec_…` secret.
 */

export const SIGNING_SECRET_NAME = "signingSecret";

export class SigningSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningSecretError";
  }
}

/** The raw key of a `whsec_<base64>` secret (a bare base64 string is accepted too). */
export function signingKey(secret: string): Buffer {
  const b64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new SigningSecretError("The signingSecret must be whsec_ followed by base64");
  }
  const key = Buffer.from(b64, "base64");
  if (key.length < 16) throw new SigningSecretError("The signingSecret key must be at least 16 bytes");
  return key;
}

/** `v1,<signature>` for one message. */
export function signWebhook(input: { secret: string; id: string; timestamp: number; body: string }): string {
  const mac = createHmac("sha256", signingKey(input.secret))
    .update(`${input.id}.${input.timestamp}.${input.body}`)
    .digest("base64");
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers; `timestamp` is in seconds. */
export function standardWebhookHeaders(input: {
  secret: string;
  id: string;
  body: string;
  timestamp?: number;
}): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signWebhook({ ...input, timestamp }),
  };
}
