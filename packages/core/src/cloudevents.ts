import { z } from "zod";
import { isValidEventName } from "./event-match.ts";
import { findUnstorableText } from "./storable-text.ts";

/**
 * Turns what a client posts to `/v1/events` into one incoming event. Three forms:
 * - simple JSON `{ id?, name, source?, time?, payload, attributes? }`;
 * - a CloudEvent 1.0 in structured mode (`Content-Type: application/cloudevents+json`);
 * - a CloudEvent 1.0 in binary mode (`ce-specversion`, `ce-id`, `ce-type`, `ce-source` headers, data in the body).
 * CloudEvents map as `type` -> name, `data` (or `data_base64`) -> payload; the other attributes and
 * extensions are kept in `attributes`.
 */

export interface IncomingEvent {
  id?: string;
  name: string;
  source?: string;
  /** ISO 8601; the event's own time if it had one. */
  time?: string;
  payload: unknown;
  attributes: Record<string, unknown>;
}

export type EventFormatErrorCode = "INVALID_EVENT" | "UNSUPPORTED_MEDIA_TYPE";

export class EventFormatError extends Error {
  readonly code: EventFormatErrorCode;
  constructor(code: EventFormatErrorCode, message: string) {
    super(message);
    this.name = "EventFormatError";
    this.code = code;
  }
}

const EventName = z
  .string()
  .min(1)
  .max(200)
  .refine(isValidEventName, "must be letters, digits and . _ - : /, like order.created");
const EventId = z.string().trim().min(1).max(200);
const IsoTime = z.iso.datetime({ offset: true });

export const SimpleEventSchema = z
  .object({
    id: EventId.optional(),
    name: EventName,
    source: z.string().min(1).max(500).optional(),
    time: IsoTime.optional(),
    payload: z.unknown(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const CE_CORE = ["specversion", "id", "source", "type", "data", "data_base64"] as const;

const StructuredSchema = z
  .object({
    specversion: z.literal("1.0", { message: 'specversion must be "1.0"' }),
    id: EventId,
    source: z.string().min(1).max(500),
    type: EventName,
    time: IsoTime.optional(),
    datacontenttype: z.string().optional(),
    data: z.unknown().optional(),
    data_base64: z.string().optional(),
  })
  .passthrough();

/** Lower-case media type without parameters. */
export function mediaType(contentType: string | undefined | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isJsonMediaType(type: string): boolean {
  return type === "application/json" || /^application\/[\w.+-]*\+json$/.test(type) || type === "text/json";
}

export function isCloudEventBatch(contentType: string | undefined | null): boolean {
  return mediaType(contentType) === "application/cloudevents-batch+json";
}

/** Parses one event from a request. `headers` keys must be lower case. */
export function parseEventRequest(input: {
  contentType: string | undefined | null;
  headers: Record<string, string | undefined>;
  body: string;
}): IncomingEvent {
  const type = mediaType(input.contentType);
  if (input.headers["ce-specversion"] !== undefined) return storable(parseBinary(type, input.headers, input.body));
  if (type === "application/cloudevents+json") return storable(parseStructured(parseJson(input.body)));
  if (!isJsonMediaType(type)) {
    throw new EventFormatError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Content-Type ${type || "(none)"} is not accepted: send application/json, application/cloudevents+json, or a binary-mode CloudEvent with ce-* headers`,
    );
  }
  return parseJsonEvent(parseJson(input.body));
}

/** One JSON item: a structured CloudEvent when it carries `specversion`, else the simple form. */
export function parseJsonEvent(value: unknown): IncomingEvent {
  return storable(parseJsonEventUnchecked(value));
}

/**
 * PostgreSQL cannot store a NUL character (U+0000) or an unpaired surrogate (see `findUnstorableText`):
 * refuse such an event with a clear 400 naming where it is, rather than fail inside the database.
 */
function storable(event: IncomingEvent): IncomingEvent {
  const problem = findUnstorableText(event);
  if (problem) throw new EventFormatError("INVALID_EVENT", `The event contains ${problem}, which cannot be stored`);
  return event;
}

function parseJsonEventUnchecked(value: unknown): IncomingEvent {
  if (value && typeof value === "object" && !Array.isArray(value) && "specversion" in value) {
    return parseStructured(value);
  }
  const parsed = SimpleEventSchema.safeParse(value);
  if (!parsed.success) throw new EventFormatError("INVALID_EVENT", describe(parsed.error));
  const { id, name, source, time, payload, attributes } = parsed.data;
  if (payload === undefined) throw new EventFormatError("INVALID_EVENT", "payload: is required (use null for none)");
  return { id, name, source, time, payload, attributes: attributes ?? {} };
}

export function parseStructured(value: unknown): IncomingEvent {
  const parsed = StructuredSchema.safeParse(value);
  if (!parsed.success) throw new EventFormatError("INVALID_EVENT", `CloudEvent ${describe(parsed.error)}`);
  const ce = parsed.data as z.infer<typeof StructuredSchema> & Record<string, unknown>;
  let payload: unknown = ce.data ?? null;
  if (ce.data_base64 !== undefined) payload = decodeBase64Data(ce.data_base64, ce.datacontenttype);
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ce)) {
    if (!(CE_CORE as readonly string[]).includes(k)) attributes[k] = v;
  }
  attributes.specversion = "1.0";
  return { id: ce.id, name: ce.type, source: ce.source, time: ce.time, payload, attributes };
}

function parseBinary(type: string, headers: Record<string, string | undefined>, body: string): IncomingEvent {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith("ce-") && v !== undefined) attrs[k.slice(3)] = decodeHeaderValue(v);
  }
  let data: unknown = null;
  if (body.length > 0) {
    if (type === "" || isJsonMediaType(type)) data = parseJson(body);
    else data = body;
  }
  const value: Record<string, unknown> = { ...attrs, data };
  if (type) value.datacontenttype = type;
  return parseStructured(value);
}

function decodeBase64Data(b64: string, contentType: string | undefined): unknown {
  const text = Buffer.from(b64, "base64").toString("utf8");
  const type = mediaType(contentType);
  if (type && isJsonMediaType(type)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new EventFormatError("INVALID_EVENT", "data_base64 does not decode to valid JSON");
    }
  }
  return text;
}

// CloudEvents HTTP binding: header values are percent-encoded where needed.
function decodeHeaderValue(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function parseJson(body: string): unknown {
  if (body.trim() === "") throw new EventFormatError("INVALID_EVENT", "The request body is empty");
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new EventFormatError("INVALID_EVENT", `The body is not valid JSON: ${(error as Error).message}`);
  }
}

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "is invalid";
  const path = first.path.join(".");
  return `${path ? `${path}: ` : ""}${first.message}`;
}
