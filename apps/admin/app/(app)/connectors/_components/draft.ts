// The editor's working copy of a connector: strings for inputs, rows for headers and query, raw text
// for the two JSON editors. `build` turns it into the body of PUT …/connectors.
//
// Loading and saving must change nothing the user did not touch (issue 11: a preset's `mapping: null`
// came back as `{}`). The form cannot show every stored value exactly (null vs "" descriptions, `{}`
// headers, a missing sample event), so a loaded draft remembers the connector it came from (`origin`):
// a field whose form value is still the one it was loaded with is sent back exactly as stored.
import type { BodyEncoding, Connector, ConnectorInput, Destination, HttpMethod } from "@/lib/engine-types";

export interface Row {
  key: string;
  value: string;
  rid: number;
}

export interface Draft {
  id?: string;
  version?: number;
  name: string;
  description: string;
  enabled: boolean;
  sourceEvent: string;
  method: HttpMethod;
  url: string;
  headers: Row[];
  query: Row[];
  bodyEncoding: BodyEncoding;
  timeoutMs: string;
  retryMaxAttempts: string;
  retryBackoffBaseMs: string;
  retryBackoffMaxMs: string;
  /** "envelope": no mapping (`null`), the engine sends the event envelope; "custom": `mappingText`. */
  mappingMode: MappingMode;
  /** The custom mapping; kept while "envelope" is chosen, so choosing "custom" again restores it. */
  mappingText: string;
  sampleText: string;
  /** Fields the form does not show (tags, auth, circuit settings, preset, …), kept as they are. */
  extra: Record<string, unknown>;
  /** The connector this draft was loaded from, and the form as it was then (absent for a new one). */
  origin?: Origin;
}

export type MappingMode = "envelope" | "custom";

interface Origin {
  /** The loaded connector as a PUT body. */
  input: Record<string, unknown>;
  /** Each form field's value when loaded (see `formValues`). */
  form: Record<string, string>;
}

/** A mapping that sends what no mapping sends: the starting point when switching to a custom one. */
export const ENVELOPE_MAPPING = {
  id: "$.id",
  name: "$.name",
  source: "$.source",
  time: "$.time",
  payload: "$.payload",
};

export const METHODS: HttpMethod[] = ["POST", "PUT", "PATCH", "GET", "DELETE"];
export const ENCODINGS: Array<{ id: BodyEncoding; label: string }> = [
  { id: "json", label: "JSON (application/json)" },
  { id: "form", label: "Form (x-www-form-urlencoded)" },
  { id: "text", label: "Text (text/plain)" },
];

const FORM_KEYS = new Set([
  "id",
  "version",
  "name",
  "description",
  "enabled",
  "sourceEvent",
  "destination",
  "mapping",
  "timeoutMs",
  "retryMaxAttempts",
  "retryBackoffBaseMs",
  "retryBackoffMaxMs",
  "sampleEvent",
]);
/** Server-owned fields: never sent back. */
const READ_ONLY = new Set([
  "createdAt",
  "updatedAt",
  "deletedAt",
  "createdBy",
  "updatedBy",
  "secrets",
  "stats",
  "disabledReason",
  "disabledAt",
]);

let rid = 0;
const row = (key = "", value = ""): Row => ({ key, value, rid: ++rid });

export const DEFAULT_SAMPLE = {
  name: "order.created",
  source: "shop",
  payload: {
    orderId: "ord_1042",
    total: 129.9,
    currency: "EUR",
    customer: { id: "cus_77", email: "ada@example.com", name: "Ada Lovelace" },
    items: [{ sku: "BOOK-1", qty: 2, price: 49.95 }],
  },
};

export const DEFAULT_MAPPING = {
  eventId: "$.id",
  orderId: "$.payload.orderId",
  amount: "$.payload.total",
  customerEmail: "$.payload.customer.email",
  note: "Order <<event.payload.orderId>> from <<event.source>>",
};

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

export function emptyDraft(): Draft {
  return {
    name: "",
    description: "",
    enabled: true,
    sourceEvent: "order.created",
    method: "POST",
    url: "",
    headers: [row()],
    query: [],
    bodyEncoding: "json",
    timeoutMs: "10000",
    retryMaxAttempts: "5",
    retryBackoffBaseMs: "1000",
    retryBackoffMaxMs: "3600000",
    mappingMode: "custom",
    mappingText: pretty(DEFAULT_MAPPING),
    sampleText: pretty(DEFAULT_SAMPLE),
    extra: {},
  };
}

export function draftFrom(c: Partial<Connector> & Record<string, unknown>): Draft {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!FORM_KEYS.has(k) && !READ_ONLY.has(k)) extra[k] = v;
  // The form edits HTTP destinations; a broker one (amqp, nats) is kept as it is (edit it as JSON).
  const broker = c.destination && "type" in c.destination && c.destination.type !== "http" ? c.destination : undefined;
  if (broker) extra.destination = broker;
  const d = broker ? undefined : (c.destination as Destination | undefined);
  const rows = (r?: Record<string, string>) => Object.entries(r ?? {}).map(([k, v]) => row(k, v));
  const envelope = c.mapping === undefined || c.mapping === null;
  const draft: Draft = {
    id: c.id,
    version: c.version,
    name: c.name ?? "",
    description: c.description ?? "",
    enabled: c.enabled ?? true,
    sourceEvent: c.sourceEvent ?? "",
    method: d?.method ?? "POST",
    url: d?.url ?? "",
    headers: rows(d?.headers),
    query: rows(d?.query),
    bodyEncoding: d?.bodyEncoding ?? "json",
    timeoutMs: String(c.timeoutMs ?? 10000),
    retryMaxAttempts: String(c.retryMaxAttempts ?? 5),
    retryBackoffBaseMs: String(c.retryBackoffBaseMs ?? 1000),
    retryBackoffMaxMs: String(c.retryBackoffMaxMs ?? 3600000),
    mappingMode: envelope ? "envelope" : "custom",
    mappingText: envelope ? "" : pretty(c.mapping),
    // Without a saved sample the preview still needs one; it is saved only if edited.
    sampleText: pretty(c.sampleEvent ?? { ...DEFAULT_SAMPLE, name: c.sourceEvent?.replace(/\*$/, "sample") }),
    extra,
  };
  return { ...draft, origin: { input: inputFrom(c), form: formValues(draft) } };
}

/** Switch between sending the event envelope and a custom mapping, keeping the custom text. */
export function setMappingMode(d: Draft, mode: MappingMode): Draft {
  if (mode === d.mappingMode) return d;
  if (mode === "custom" && d.mappingText.trim() === "") {
    return { ...d, mappingMode: mode, mappingText: pretty(ENVELOPE_MAPPING) };
  }
  return { ...d, mappingMode: mode };
}

const rowPairs = (rows: Row[]) => rows.map((r) => [r.key, r.value]);

// What the user sees of each field: equal to the loaded value means "untouched".
const FIELDS: Record<string, (d: Draft) => unknown> = {
  name: (d) => d.name,
  description: (d) => d.description,
  enabled: (d) => d.enabled,
  sourceEvent: (d) => d.sourceEvent,
  mapping: (d) => (d.mappingMode === "envelope" ? null : d.mappingText),
  timeoutMs: (d) => d.timeoutMs,
  retryMaxAttempts: (d) => d.retryMaxAttempts,
  retryBackoffBaseMs: (d) => d.retryBackoffBaseMs,
  retryBackoffMaxMs: (d) => d.retryBackoffMaxMs,
  sampleEvent: (d) => d.sampleText,
};
const DESTINATION_FIELDS: Record<string, (d: Draft) => unknown> = {
  url: (d) => d.url,
  method: (d) => d.method,
  headers: (d) => rowPairs(d.headers),
  query: (d) => rowPairs(d.query),
  bodyEncoding: (d) => d.bodyEncoding,
};

function formValues(d: Draft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, get] of Object.entries(FIELDS)) out[k] = JSON.stringify(get(d));
  for (const [k, get] of Object.entries(DESTINATION_FIELDS)) out[`destination.${k}`] = JSON.stringify(get(d));
  return out;
}

/** Put back the stored value of every field the user has not changed since loading. */
function keepUntouched(input: ConnectorInput, d: Draft): ConnectorInput {
  const origin = d.origin;
  if (!origin) return input;
  const now = formValues(d);
  const out: Record<string, unknown> = { ...input };
  const restore = (target: Record<string, unknown>, from: Record<string, unknown>, key: string) => {
    if (key in from && from[key] !== undefined) target[key] = from[key];
    else delete target[key];
  };
  for (const k of Object.keys(FIELDS)) if (now[k] === origin.form[k]) restore(out, origin.input, k);
  const storedDestination = origin.input.destination;
  if (storedDestination && typeof storedDestination === "object") {
    const destination: Record<string, unknown> = { ...input.destination };
    for (const k of Object.keys(DESTINATION_FIELDS)) {
      const key = `destination.${k}`;
      if (now[key] === origin.form[key]) restore(destination, storedDestination as Record<string, unknown>, k);
    }
    out.destination = destination;
  }
  return out as ConnectorInput;
}

export interface Built {
  input: ConnectorInput | null;
  /** Problems that stop the draft from becoming a request body (bad JSON in an editor). */
  errors: { mapping?: string; sample?: string };
  sample: unknown;
}

function parse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function num(s: string): number {
  const n = Number(s.trim());
  return s.trim() === "" || Number.isNaN(n) ? Number.NaN : n;
}

function record(rows: Row[]): Record<string, string> | undefined {
  const entries = rows.filter((r) => r.key.trim() !== "").map((r) => [r.key.trim(), r.value] as const);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export function build(d: Draft): Built {
  const mapping: ReturnType<typeof parse> =
    d.mappingMode === "envelope" ? { ok: true, value: null } : parse(d.mappingText);
  const sample = parse(d.sampleText);
  const errors: Built["errors"] = {};
  if (!mapping.ok) errors.mapping = mapping.message;
  if (!sample.ok) errors.sample = sample.message;
  if (!mapping.ok) return { input: null, errors, sample: sample.ok ? sample.value : undefined };
  const http: Destination = { url: d.url.trim(), method: d.method, bodyEncoding: d.bodyEncoding };
  const headers = record(d.headers);
  if (headers) http.headers = headers;
  const query = record(d.query);
  if (query) http.query = query;
  // A broker destination the form does not edit travels as it came (see draftFrom).
  const destination = (d.extra.destination as ConnectorInput["destination"] | undefined) ?? http;
  const input: ConnectorInput = {
    ...d.extra,
    ...(d.id ? { id: d.id, version: d.version } : {}),
    name: d.name,
    description: d.description.trim() ? d.description : null,
    enabled: d.enabled,
    sourceEvent: d.sourceEvent.trim(),
    destination,
    mapping: mapping.value,
    timeoutMs: num(d.timeoutMs),
    retryMaxAttempts: num(d.retryMaxAttempts),
    retryBackoffBaseMs: num(d.retryBackoffBaseMs),
    retryBackoffMaxMs: num(d.retryBackoffMaxMs),
  };
  if (sample.ok && sample.value && typeof sample.value === "object")
    input.sampleEvent = sample.value as ConnectorInput["sampleEvent"];
  return { input: keepUntouched(input, d), errors, sample: sample.ok ? sample.value : undefined };
}

/** The whole connector as the "Edit as JSON" text. */
export function draftToJson(d: Draft): string {
  const { input } = build(d);
  if (input) return pretty(input);
  // Keep the user's broken mapping visible rather than losing it.
  return pretty({ ...build({ ...d, mappingMode: "envelope" }).input, mapping: d.mappingText });
}

export function draftFromJson(text: string, previous: Draft): { draft: Draft } | { error: string } {
  const parsed = parse(text);
  if (!parsed.ok) return { error: `Not valid JSON: ${parsed.message}` };
  const v = parsed.value;
  if (!v || typeof v !== "object" || Array.isArray(v)) return { error: "The connector must be a JSON object" };
  // The JSON's own values are what an untouched form field keeps from here on (draftFrom's origin).
  const next = draftFrom(v as Record<string, unknown>);
  // id/version are not editable here: they identify what is being updated.
  return { draft: { ...next, id: previous.id, version: previous.version } };
}

export { row as newRow };

/** A saved connector as a PUT body (server-owned fields dropped), e.g. to flip `enabled`. */
export function inputFrom(
  c: Partial<Connector> & Record<string, unknown>,
  patch: Partial<ConnectorInput> = {},
): ConnectorInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!READ_ONLY.has(k) && v !== undefined) out[k] = v;
  return { ...(out as ConnectorInput), ...patch };
}
