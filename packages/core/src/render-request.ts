import type { ExpressionLimits } from "./expressions/compile.ts";
import type { ExpressionRuntime } from "./expressions/functions.ts";
import { Evaluated, RequestPlan } from "./expressions/plan.ts";
import {
  asMappingError,
  type EventEnvelope,
  MappingError,
  type MappingLimits,
  MappingRenderer,
  SECRET_MASK,
  stringify,
} from "./mapping.ts";

export type { EventEnvelope, MappingErrorCode, MappingLimits } from "./mapping.ts";
export { MappingError, SECRET_MASK } from "./mapping.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const BODY_ENCODINGS = ["json", "form", "text"] as const;
export type BodyEncoding = (typeof BODY_ENCODINGS)[number];

export interface DestinationSpec {
  url: string;
  method: HttpMethod;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  bodyEncoding?: BodyEncoding;
}

export interface RenderedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface RenderRequestInput {
  destination: DestinationSpec;
  mapping: unknown;
  event: EventEnvelope;
  secrets: Record<string, string>;
  /** Preview passes `"warn"`: a secret not set becomes a warning instead of an error. */
  missingSecret?: "error" | "warn";
  limits?: Partial<MappingLimits>;
  /**
   * The connector's expressions, compiled once per connector version by the caller's cache
   * (`RequestPlan.compile({ destination, mapping })`). Without it they are compiled for this call only.
   */
  plan?: RequestPlan;
  /** For a plan compiled here: budgets and the functions' state. */
  expressions?: { limits?: Partial<ExpressionLimits>; runtime?: ExpressionRuntime };
}

export interface RenderRequestResult {
  /** Carries real secret values: send it, never store or show it. */
  request: RenderedRequest;
  /** The same request with every secret value masked: safe to store and show. */
  redacted: RenderedRequest;
  warnings: string[];
  /** Secrets the templates referred to that are not set (only with `missingSecret: "warn"`). */
  missingSecrets: string[];
  /** Secrets the templates and expressions read. */
  secretsUsed: string[];
  /**
   * Text of the values expressions computed from secrets (`$base64encode($secret('a') & …)`): not secrets
   * themselves, but scrub them like secrets from what a destination echoes back (see `redactSecretValues`).
   */
  derived: string[];
}

export const CONTENT_TYPES: Record<BodyEncoding, string> = {
  json: "application/json",
  form: "application/x-www-form-urlencoded",
  text: "text/plain; charset=utf-8",
};

/** RFC 9110 token: what a header name may contain. */
export const HEADER_NAME_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$/;
// Header values must not break the message framing.
const BAD_HEADER_VALUE = /[\r\n\0]/;
// ASCII placeholder for the mask while text is URL-encoded, swapped for SECRET_MASK at the end.
const SENTINEL = "ibsecretmaske7c2d9";
const MIN_SCRUB_LENGTH = 4;

/**
 * Render the HTTP request a connector sends for an event (DESIGN §6, §10): URL (templated, interpolated values
 * percent-encoded), query (templated), headers (templated), body (the rendered mapping encoded as JSON,
 * form or text; without a mapping, the event envelope; GET, and DELETE without a mapping, send no body).
 * `{% … %}` expressions are evaluated first (async, bounded), then everything is rendered in one pass.
 * Throws {@link MappingError}: a missing secret (naming it), an invalid URL or header, an expression that
 * fails or exceeds its budget (naming the field), limits exceeded.
 */
export async function renderRequest(input: RenderRequestInput): Promise<RenderRequestResult> {
  const { event, secrets } = input;
  const plan =
    input.plan ??
    RequestPlan.compile({ destination: input.destination, mapping: input.mapping }, input.expressions ?? {});
  const evaluated = await plan.evaluate({ destination: input.destination, mapping: input.mapping }, event, {
    secrets,
    missingSecret: input.missingSecret ?? "error",
  });
  // The destination with each expression's value in place of its `{% … %}` string.
  const destination = evaluated.spec.destination as Omit<DestinationSpec, "url" | "headers" | "query"> & {
    url: unknown;
    headers?: Record<string, unknown>;
    query?: Record<string, unknown>;
  };
  const mapping = evaluated.spec.mapping;
  const renderer = new MappingRenderer({
    event,
    secrets,
    missingSecret: input.missingSecret ?? "error",
    limits: input.limits,
    mask: SENTINEL,
  });
  for (const warning of evaluated.warnings) renderer.warn(warning);
  for (const name of evaluated.missingSecrets) renderer.missingSecrets.add(name);
  try {
    const method = String(destination.method ?? "").toUpperCase();
    if (!(HTTP_METHODS as readonly string[]).includes(method)) {
      throw new MappingError("INVALID_MAPPING", `Unsupported method ${JSON.stringify(destination.method)}`);
    }
    const encoding: BodyEncoding = destination.bodyEncoding ?? "json";
    if (!(BODY_ENCODINGS as readonly string[]).includes(encoding)) {
      throw new MappingError("INVALID_BODY", `Unsupported body encoding ${JSON.stringify(encoding)}`);
    }

    // URL: values interpolated into it are percent-encoded, so an event cannot change its host or path shape.
    const urlText = renderer.renderString(templateOf(destination.url), encodeURIComponent);
    const scrub = scrubber(secrets, evaluated.derived);
    // Errors quote the redacted URL: a message is stored and shown, a secret in the URL must not be.
    const shownUrl = scrub(urlText.redacted);
    const url = parseHttpUrl(urlText.value, shownUrl);
    // A URL computed whole from a secret has no shape to show: it is masked whole.
    const maskedWhole = destination.url instanceof Evaluated && destination.url.tainted;
    const redactedUrl = maskedWhole ? null : parseHttpUrl(urlText.redacted, shownUrl);
    for (const [key, template] of Object.entries(destination.query ?? {})) {
      const value = renderer.renderString(templateOf(template));
      url.searchParams.append(key, value.value);
      redactedUrl?.searchParams.append(key, value.redacted);
    }

    const headers: Record<string, string> = {};
    const redactedHeaders: Record<string, string> = {};
    for (const [name, template] of Object.entries(destination.headers ?? {})) {
      if (!HEADER_NAME_RE.test(name)) {
        throw new MappingError("INVALID_HEADER", `Header name ${JSON.stringify(name)} is not a valid HTTP token`);
      }
      const value = renderer.renderString(templateOf(template));
      if (BAD_HEADER_VALUE.test(value.value)) {
        throw new MappingError("INVALID_HEADER", `Header ${name} would contain a line break or NUL character`);
      }
      headers[name] = value.value;
      redactedHeaders[name] = value.redacted;
    }

    let body: { value: string; redacted: string } | undefined;
    const hasMapping = mapping !== undefined && mapping !== null;
    if (method === "GET") {
      if (hasMapping) renderer.warn("GET requests carry no body: the mapping is not sent (use query parameters)");
    } else if (hasMapping) {
      const rendered = renderer.render(mapping);
      body = { value: encodeBody(rendered.value, encoding), redacted: encodeBody(rendered.redacted, encoding) };
    } else if (method !== "DELETE") {
      const envelope = {
        id: event.id,
        name: event.name,
        source: event.source,
        time: event.time,
        payload: event.payload,
      };
      body = { value: encodeBody(envelope, encoding), redacted: encodeBody(envelope, encoding) };
    }
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["Content-Type"] = CONTENT_TYPES[encoding];
      redactedHeaders["Content-Type"] = CONTENT_TYPES[encoding];
    }

    return {
      request: { method, url: url.toString(), headers, body: body?.value },
      redacted: {
        method,
        url: redactedUrl ? scrub(redactedUrl.toString()) : SECRET_MASK,
        headers: Object.fromEntries(Object.entries(redactedHeaders).map(([k, v]) => [k, scrub(v)])),
        body: body ? scrub(body.redacted) : undefined,
      },
      warnings: renderer.allWarnings(),
      missingSecrets: [...renderer.missingSecrets].sort(),
      secretsUsed: [...new Set([...renderer.secretsUsed, ...evaluated.secretsRead])].sort(),
      derived: evaluated.derived,
    };
  } catch (error) {
    throw asMappingError(error);
  }
}

/** A destination value after expressions: a template string, or an expression's value. */
function templateOf(value: unknown): string | Evaluated {
  return value instanceof Evaluated ? value : String(value ?? "");
}

function parseHttpUrl(text: string, shown: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MappingError("INVALID_URL", `The destination URL ${JSON.stringify(shown.slice(0, 200))} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MappingError("INVALID_URL", `The destination URL must be http or https, not ${url.protocol}`);
  }
  return url;
}

function encodeBody(value: unknown, encoding: BodyEncoding): string {
  if (encoding === "text") return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  if (encoding === "json") return JSON.stringify(value ?? null);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MappingError("INVALID_BODY", "A form-encoded body needs a mapping that renders to an object");
  }
  const params = new URLSearchParams();
  appendForm(params, "", value, 0);
  return params.toString();
}

/** Nested values use bracket keys (`metadata[orderId]=…`, `items[0][sku]=…`), as payment APIs expect. */
function appendForm(params: URLSearchParams, prefix: string, value: unknown, depth: number) {
  if (depth > 32) throw new MappingError("LIMIT_EXCEEDED", "The form body is nested too deeply");
  // A field an expression gave no value is left out, as JSON.stringify leaves it out of a JSON body.
  if (value === undefined) return;
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) appendForm(params, prefix ? `${prefix}[${key}]` : key, child, depth + 1);
    return;
  }
  params.append(prefix, stringify(value));
}

/**
 * Every secret value (of at least 4 characters) in `text` replaced by {@link SECRET_MASK}, in its raw,
 * JSON-escaped and URL-encoded spellings. For text the engine did not render but will store or show, e.g. a
 * destination's response that echoes the request back.
 */
export function redactSecretValues(text: string, secrets: Record<string, string>, derived: string[] = []): string {
  return scrubber(secrets, derived)(text);
}

/**
 * Defence in depth for the redacted copy: the sentinel becomes the mask, and any secret value that reached
 * the text another way (e.g. the event happens to carry it) is masked too, in its raw, JSON-escaped and
 * URL-encoded spellings.
 */
function scrubber(secrets: Record<string, string>, derived: string[] = []): (text: string) => string {
  const needles = new Set<string>();
  for (const value of [...Object.values(secrets), ...derived]) {
    if (typeof value !== "string" || value.length < MIN_SCRUB_LENGTH) continue;
    needles.add(value);
    needles.add(JSON.stringify(value).slice(1, -1));
    needles.add(encodeURIComponent(value));
    needles.add(new URLSearchParams({ v: value }).toString().slice(2));
  }
  const ordered = [...needles].filter((n) => n.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.split(SENTINEL).join(SECRET_MASK);
    for (const needle of ordered) if (out.includes(needle)) out = out.split(needle).join(SECRET_MASK);
    return out;
  };
}
