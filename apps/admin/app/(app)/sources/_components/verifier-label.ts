import type { Verifier } from "@/lib/engine-types";

/** How each signature verifier is named in the UI; every verifier the engine knows must have a name here. */
export const VERIFIER_LABEL: Record<Verifier, string> = {
  stripe: "Stripe",
  github: "GitHub",
  "standard-webhooks": "Standard Webhooks",
  shopify: "Shopify",
  "generic-hmac": "Generic HMAC",
};

export const VERIFIERS = Object.keys(VERIFIER_LABEL) as Verifier[];
