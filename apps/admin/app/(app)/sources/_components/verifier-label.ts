/** How each signature verifier is named in the UI. */
export const VERIFIER_LABEL: Record<string, string> = {
  stripe: "Stripe",
  github: "GitHub",
  "standard-webhooks": "Standard Webhooks",
  shopify: "Shopify",
  "generic-hmac": "Generic HMAC",
};
