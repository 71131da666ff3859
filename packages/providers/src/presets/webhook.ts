import type { Preset } from "../preset-types.ts";
import { SIGNING_SECRET_HINT } from "../signing-secret.ts";

export const httpWebhook: Preset = {
  id: "http-webhook",
  providerType: "webhook",
  provider: "Any HTTP endpoint",
  name: "HTTP webhook",
  description:
    "POSTs the event envelope ({id, name, source, time, payload}) as JSON to any URL. Edit the mapping to " +
    "reshape it; every request carries Idempotency-Key and webhook-id for de-duplication.",
  docsUrl: "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md",
  sourceEvent: "order.created",
  destination: { url: "<<param.url>>", method: "POST", bodyEncoding: "json" },
  mapping: null,
  secrets: [],
  parameters: [
    {
      name: "url",
      label: "Receiver URL",
      format: "url",
      description: "Where to send it: an http:// or https:// URL.",
      example: "https://hooks.example.com/orders",
    },
  ],
  sampleEvent: { name: "order.created", payload: { orderId: "ord_1001", total: 49.9, currency: "USD" } },
};

export const standardWebhooksSigned: Preset = {
  id: "standard-webhooks",
  providerType: "webhook",
  provider: "Standard Webhooks",
  name: "Standard Webhooks signed",
  description:
    "POSTs the event envelope as JSON, signed per the Standard Webhooks spec (webhook-id, webhook-timestamp, " +
    "webhook-signature: HMAC-SHA256 over id.timestamp.body), so receivers can verify it with any Standard Webhooks library.",
  docsUrl: "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md",
  sourceEvent: "order.created",
  destination: { url: "<<param.url>>", method: "POST", bodyEncoding: "json" },
  mapping: null,
  secrets: [
    {
      name: "signingSecret",
      label: "Signing secret",
      format: "whsec",
      description: `Shared with the receiver, which verifies each request with it: ${SIGNING_SECRET_HINT}. Give the receiver the same value.`,
    },
  ],
  parameters: [
    {
      name: "url",
      label: "Receiver URL",
      format: "url",
      description: "Where to send it: an http:// or https:// URL.",
      example: "https://hooks.example.com/orders",
    },
  ],
  sampleEvent: { name: "order.created", payload: { orderId: "ord_1001", total: 49.9, currency: "USD" } },
};
