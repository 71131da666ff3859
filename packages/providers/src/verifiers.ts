import { createHmac, timingSafeEqual } from "node:crypto";
import { VERIFIERS, type VerifierName } from "@ib/core/contracts/source";
import { z } from "zod";

/**
 * Inbound webhook signature verification, pure: raw body bytes + headers + the source's active
 * secrets in, a verdict out. Every verifier checks the signature over the exact bytes received
 * (never a re-serialised JSON), compares in constant time, and accepts any of several secrets so a
 * provider's secret can be rotated without dropping webhooks.
 */

// The verifier names are part of the source contract (`@ib/core/contracts/source`); the schemes live here.
export { VERIFIERS, type VerifierName };

export const GenericHmacConfigSchema = z
  .object({
    /** Header carrying the signature, e.g. `X-Signature`. */
    header: z.string().min(1).max(100),
    algorithm: z.enum(["sha256", "sha512"]).default("sha256"),
    encoding: z.enum(["hex", "base64"]).default("hex"),
    /** Text before the signature in the header, e.g. `sha256=`. */
    prefix: z.string().max(50).default(""),
    /** Header carrying a unix timestamp (seconds); when set, it is signed and checked for staleness. */
    timestampHeader: z.string().min(1).max(100).optional(),
    /** What is signed when there is a timestamp: `{timestamp}` and `{body}` are replaced. */
    signedPayload: z.string().max(200).default("{timestamp}.{body}"),
    toleranceSeconds: z.number().int().min(1).max(86_400).default(300),
    /** Where the provider's event id is: a header, or a dot path into the JSON body. */
    eventIdHeader: z.string().min(1).max(100).optional(),
    eventIdPath: z.string().min(1).max(200).optional(),
    /** Where the provider's event type is (for `eventMapping`): a header, or a dot path into the body. */
    eventTypeHeader: z.string().min(1).max(100).optional(),
    eventTypePath: z.string().min(1).max(200).optional(),
  })
  .strict();
export type GenericHmacConfig = z.infer<typeof GenericHmacConfigSchema>;

/** Options every verifier takes (in the source's `config`). */
export const CommonVerifierConfigSchema = z
  .object({
    toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
    eventIdPath: z.string().min(1).max(200).optional(),
    eventTypePath: z.string().min(1).max(200).optional(),
  })
  .strict();

export type VerifyFailure = "missing_signature" | "bad_signature" | "stale_timestamp" | "no_secret";

export type VerifyResult =
  | {
      ok: true;
      /** The provider's id for this event (the de-duplication key), when it sends one. */
      providerEventId: string | null;
      /** The provider's event type (`payment_intent.succeeded`, `issues`, `orders/create`). */
      eventType: string | null;
      /** Which of the secrets matched (index into the list given). */
      secretIndex: number;
      /** The signed timestamp (unix seconds) where the scheme has one: Stripe, Standard Webhooks, generic-hmac. */
      signedAt: number | null;
    }
  | { ok: false; reason: VerifyFailure; message: string };

export interface VerifyInput {
  verifier: VerifierName;
  config?: Record<string, unknown>;
  /** Header names in any case. */
  headers: Record<string, string | undefined>;
  rawBody: Uint8Array;
  secrets: string[];
  now?: Date;
}

/** Stripe's, GitHub's and Standard Webhooks' default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function lowerHeaders(headers: Record<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) if (typeof v === "string") out.set(k.toLowerCase(), v);
  return out;
}

function hmacDigest(algorithm: "sha256" | "sha512", key: Buffer | string, data: Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function decode(text: string, encoding: "hex" | "base64"): Buffer | null {
  const trimmed = text.trim();
  if (encoding === "hex")
    return /^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length % 2 === 0 ? Buffer.from(trimmed, "hex") : null;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, "base64") : null;
}

/** `a.b.0.c` into parsed JSON; undefined when absent. */
export function valueAtPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter(Boolean)) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function jsonBody(raw: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch {
    return undefined;
  }
}

function asId(value: unknown): string | null {
  if (typeof value === "string" && value.length > 0) return value.slice(0, 500);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

const fail = (reason: VerifyFailure, message: string): { ok: false; reason: VerifyFailure; message: string } => ({
  ok: false,
  reason,
  message,
});

function staleness(timestampSeconds: number, now: Date, tolerance: number): ReturnType<typeof fail> | null {
  const age = Math.abs(now.getTime() / 1000 - timestampSeconds);
  if (age > tolerance) {
    return fail(
      "stale_timestamp",
      `Timestamp is ${Math.round(age)} s away from now (tolerance ${tolerance} s): a replay or a badly wrong clock`,
    );
  }
  return null;
}

/** Verify one inbound webhook. Never throws on hostile input. */
export function verifyWebhook(input: VerifyInput): VerifyResult {
  const headers = lowerHeaders(input.headers);
  const now = input.now ?? new Date();
  const config = input.config ?? {};
  const raw = Buffer.from(input.rawBody);
  const secrets = input.secrets.filter((s) => typeof s === "string" && s.length > 0);
  if (secrets.length === 0) return fail("no_secret", "This source has no active signing secret: set one first");
  const tolerance = typeof config.toleranceSeconds === "number" ? config.toleranceSeconds : DEFAULT_TOLERANCE_SECONDS;

  let result: Verdict;
  switch (input.verifier) {
    case "stripe":
      result = verifyStripe(headers, raw, secrets, now, tolerance);
      break;
    case "github":
      result = verifyGithub(headers, raw, secrets);
      break;
    case "standard-webhooks":
      result = verifyStandardWebhooks(headers, raw, secrets, now, tolerance);
      break;
    case "shopify":
      result = verifyShopify(headers, raw, secrets);
      break;
    case "generic-hmac": {
      const parsed = GenericHmacConfigSchema.safeParse(config);
      if (!parsed.success) return fail("bad_signature", "The source's generic-hmac config is invalid");
      result = verifyGeneric(headers, raw, secrets, now, parsed.data);
      break;
    }
    default:
      return fail("bad_signature", `Unknown verifier ${JSON.stringify(input.verifier)}`);
  }
  if (!result.ok) return result;
  return { ...result, ...webhookIdentity({ ...input, verifier: input.verifier }) };
}

/**
 * The provider's event id (the de-duplication key) and event type (for `eventMapping`) of a webhook,
 * read from where each provider puts them; the source's config may point elsewhere (`eventIdPath`,
 * `eventTypePath`). Pure and signature-free, so stored webhooks can be read again later.
 */
export function webhookIdentity(input: Pick<VerifyInput, "verifier" | "config" | "headers" | "rawBody">): {
  providerEventId: string | null;
  eventType: string | null;
} {
  const headers = lowerHeaders(input.headers);
  const config = input.config ?? {};
  let body: unknown;
  let parsed = false;
  const json = () => {
    if (!parsed) {
      body = jsonBody(input.rawBody);
      parsed = true;
    }
    return body;
  };
  let id: string | null = null;
  let type: string | null = null;
  switch (input.verifier) {
    case "stripe":
      id = asId(valueAtPath(json(), "id"));
      type = asId(valueAtPath(json(), "type"));
      break;
    case "github": {
      id = headers.get("x-github-delivery") ?? null;
      const event = headers.get("x-github-event") ?? null;
      const action = event ? asId(valueAtPath(json(), "action")) : null;
      // `issues.opened`: the event and its action, so a mapping can tell them apart.
      type = event ? (action ? `${event}.${action}` : event) : null;
      break;
    }
    case "standard-webhooks":
      id = headers.get("webhook-id") ?? headers.get("svix-id") ?? null;
      type = asId(valueAtPath(json(), "type"));
      break;
    case "shopify":
      id = headers.get("x-shopify-event-id") ?? headers.get("x-shopify-webhook-id") ?? null;
      type = headers.get("x-shopify-topic") ?? null;
      break;
    case "generic-hmac": {
      const c = config as Partial<GenericHmacConfig>;
      if (c.eventIdHeader) id = headers.get(c.eventIdHeader.toLowerCase()) ?? null;
      if (c.eventTypeHeader) type = headers.get(c.eventTypeHeader.toLowerCase()) ?? null;
      break;
    }
  }
  if (typeof config.eventIdPath === "string") id = asId(valueAtPath(json(), config.eventIdPath)) ?? id;
  if (typeof config.eventTypePath === "string") type = asId(valueAtPath(json(), config.eventTypePath)) ?? type;
  return { providerEventId: id ? id.slice(0, 500) : null, eventType: type ? type.slice(0, 500) : null };
}

type Verdict =
  | { ok: true; secretIndex: number; signedAt: number | null }
  | { ok: false; reason: VerifyFailure; message: string };

function matchAny(secrets: string[], compute: (secret: string) => Buffer, candidates: Buffer[]): number {
  for (let i = 0; i < secrets.length; i++) {
    const expected = compute(secrets[i] as string);
    for (const candidate of candidates) if (safeEqual(expected, candidate)) return i;
  }
  return -1;
}

/** `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`; signed payload `<t>.<body>`; key = the `whsec_…` text. */
function verifyStripe(
  headers: Map<string, string>,
  raw: Buffer,
  secrets: string[],
  now: Date,
  tolerance: number,
): Verdict {
  const header = headers.get("stripe-signature");
  if (!header) return fail("missing_signature", "Missing Stripe-Signature header");
  let timestamp: number | null = null;
  const candidates: Buffer[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.split("=", 2).map((s) => s.trim());
    if (key === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === "v1" && value) {
      const decoded = decode(value, "hex");
      if (decoded) candidates.push(decoded);
    }
  }
  if (timestamp === null || candidates.length === 0) {
    return fail("missing_signature", "Stripe-Signature has no timestamp (t=) or no v1 signature");
  }
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`, "utf8"), raw]);
  const index = matchAny(secrets, (s) => hmacDigest("sha256", s, signed), candidates);
  if (index < 0) return fail("bad_signature", "No v1 signature matches any active secret");
  const stale = staleness(timestamp, now, tolerance);
  if (stale) return stale;
  return { ok: true, secretIndex: index, signedAt: timestamp };
}

/** `X-Hub-Signature-256: sha256=<hex>` over the body; id `X-GitHub-Delivery`, type `X-GitHub-Event`. */
function verifyGithub(headers: Map<string, string>, raw: Buffer, secrets: string[]): Verdict {
  const header = headers.get("x-hub-signature-256");
  if (!header) return fail("missing_signature", "Missing X-Hub-Signature-256 header");
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  const candidate = match ? decode(match[1] as string, "hex") : null;
  if (!candidate) return fail("bad_signature", "X-Hub-Signature-256 is not sha256=<64 hex digits>");
  const index = matchAny(secrets, (s) => hmacDigest("sha256", s, raw), [candidate]);
  if (index < 0) return fail("bad_signature", "The signature matches no active secret");
  return { ok: true, secretIndex: index, signedAt: null };
}

/**
 * Standard Webhooks (and Svix, its origin): `webhook-id`, `webhook-timestamp`, `webhook-signature:
 * v1,<base64> [v1,<base64>…]`; signed `<id>.<timestamp>.<body>`; key = base64 after `whsec_`.
 */
function verifyStandardWebhooks(
  headers: Map<string, string>,
  raw: Buffer,
  secrets: string[],
  now: Date,
  tolerance: number,
): Verdict {
  const id = headers.get("webhook-id") ?? headers.get("svix-id");
  const timestampText = headers.get("webhook-timestamp") ?? headers.get("svix-timestamp");
  const signature = headers.get("webhook-signature") ?? headers.get("svix-signature");
  if (!id || !timestampText || !signature) {
    return fail("missing_signature", "Missing webhook-id, webhook-timestamp or webhook-signature header");
  }
  if (!/^\d{1,12}$/.test(timestampText.trim())) return fail("bad_signature", "webhook-timestamp is not a number");
  const timestamp = Number(timestampText.trim());
  const candidates: Buffer[] = [];
  for (const part of signature.split(" ")) {
    const [version, value] = part.split(",", 2);
    if (version === "v1" && value) {
      const decoded = decode(value, "base64");
      if (decoded) candidates.push(decoded);
    }
  }
  if (candidates.length === 0) return fail("missing_signature", "webhook-signature has no v1 signature");
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, "utf8"), raw]);
  const index = matchAny(secrets, (s) => hmacDigest("sha256", standardWebhooksKey(s), signed), candidates);
  if (index < 0) return fail("bad_signature", "No v1 signature matches any active secret");
  const stale = staleness(timestamp, now, tolerance);
  if (stale) return stale;
  return { ok: true, secretIndex: index, signedAt: timestamp };
}

/** `whsec_<base64>` → its bytes; a secret without the prefix is taken as base64 too. */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}

/** `X-Shopify-Hmac-Sha256: <base64>` over the body, keyed with the app's client secret. */
function verifyShopify(headers: Map<string, string>, raw: Buffer, secrets: string[]): Verdict {
  const header = headers.get("x-shopify-hmac-sha256");
  if (!header) return fail("missing_signature", "Missing X-Shopify-Hmac-Sha256 header");
  const candidate = decode(header, "base64");
  if (!candidate) return fail("bad_signature", "X-Shopify-Hmac-Sha256 is not base64");
  const index = matchAny(secrets, (s) => hmacDigest("sha256", s, raw), [candidate]);
  if (index < 0) return fail("bad_signature", "The signature matches no active secret");
  return { ok: true, secretIndex: index, signedAt: null };
}

function verifyGeneric(
  headers: Map<string, string>,
  raw: Buffer,
  secrets: string[],
  now: Date,
  config: GenericHmacConfig,
): Verdict {
  const header = headers.get(config.header.toLowerCase());
  if (!header) return fail("missing_signature", `Missing ${config.header} header`);
  const text = header.trim();
  if (config.prefix && !text.startsWith(config.prefix)) {
    return fail("bad_signature", `${config.header} does not start with ${config.prefix}`);
  }
  const candidate = decode(text.slice(config.prefix.length), config.encoding);
  if (!candidate) return fail("bad_signature", `${config.header} is not ${config.encoding}`);

  let signed = raw;
  let timestamp: number | null = null;
  if (config.timestampHeader) {
    const ts = headers.get(config.timestampHeader.toLowerCase())?.trim();
    if (!ts) return fail("missing_signature", `Missing ${config.timestampHeader} header`);
    if (!/^\d{1,12}$/.test(ts)) return fail("bad_signature", `${config.timestampHeader} is not a unix timestamp`);
    timestamp = Number(ts);
    const [before, after = ""] = config.signedPayload.replaceAll("{timestamp}", ts).split("{body}", 2);
    signed = Buffer.concat([Buffer.from(before ?? "", "utf8"), raw, Buffer.from(after, "utf8")]);
  }
  const index = matchAny(secrets, (s) => hmacDigest(config.algorithm, s, signed), [candidate]);
  if (index < 0) return fail("bad_signature", "The signature matches no active secret");
  if (timestamp !== null) {
    const stale = staleness(timestamp, now, config.toleranceSeconds);
    if (stale) return stale;
  }
  return { ok: true, secretIndex: index, signedAt: timestamp };
}

/** Validate a source's `config` for its verifier (the route answers 400 with the message). */
export function parseVerifierConfig(
  verifier: VerifierName,
  config: unknown,
): { ok: true; config: Record<string, unknown> } | { ok: false; message: string } {
  const schema = verifier === "generic-hmac" ? GenericHmacConfigSchema : CommonVerifierConfigSchema;
  const parsed = schema.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `config${issue?.path.length ? `.${issue.path.join(".")}` : ""}: ${issue?.message}` };
  }
  return { ok: true, config: parsed.data as Record<string, unknown> };
}
