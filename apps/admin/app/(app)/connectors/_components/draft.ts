// The editor's working copy of a connector: strings for inputs, rows for headers and query, raw text
// for the two JSON editors. `toInput` turns it into the body of PUT …/connectors.
import type { BodyEncoding, Connector, ConnectorInput, HttpMethod } from "@/lib/types";

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
  mappingText: string;
  sampleText: string;
  /** Fields the form does not show (tags, auth, circuit settings, preset, …), kept as they are. */
  extra: Record<string, unknown>;
}

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
const READ_ONLY = new Set(["createdAt", "updatedAt", "deletedAt", "createdBy", "updatedBy", "secrets", "stats"]);

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
    mappingText: pretty(DEFAULT_MAPPING),
    sampleText: pretty(DEFAULT_SAMPLE),
    extra: {},
  };
}

export function draftFrom(c: Partial<Connector> & Record<string, unknown>): Draft {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!FORM_KEYS.has(k) && !READ_ONLY.has(k)) extra[k] = v;
  const d = c.destination;
  const rows = (r?: Record<string, string>) => Object.entries(r ?? {}).map(([k, v]) => row(k, v));
  return {
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
    mappingText: c.mapping === undefined || c.mapping === null ? "{}" : pretty(c.mapping),
    sampleText: pretty(c.sampleEvent ?? { ...DEFAULT_SAMPLE, name: c.sourceEvent?.replace(/\*$/, "sample") }),
    extra,
  };
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
  const mapping = parse(d.mappingText);
  const sample = parse(d.sampleText);
  const errors: Built["errors"] = {};
  if (!mapping.ok) errors.mapping = mapping.message;
  if (!sample.ok) errors.sample = sample.message;
  if (!mapping.ok) return { input: null, errors, sample: sample.ok ? sample.value : undefined };
  const destination: ConnectorInput["destination"] = {
    url: d.url.trim(),
    method: d.method,
    bodyEncoding: d.bodyEncoding,
  };
  const headers = record(d.headers);
  if (headers) destination.headers = headers;
  const query = record(d.query);
  if (query) destination.query = query;
  const input: ConnectorInput = {
    ...d.extra,
    ...(d.id ? { id: d.id, version: d.version } : {}),
    name: d.name,
    ...(d.description.trim() ? { description: d.description } : {}),
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
  return { input, errors, sample: sample.ok ? sample.value : undefined };
}

/** The whole connector as the "Edit as JSON" text. */
export function draftToJson(d: Draft): string {
  const { input } = build(d);
  if (input) return pretty(input);
  // Keep the user's broken mapping visible rather than losing it.
  return pretty({ ...build({ ...d, mappingText: "null" }).input, mapping: d.mappingText });
}

export function draftFromJson(text: string, previous: Draft): { draft: Draft } | { error: string } {
  const parsed = parse(text);
  if (!parsed.ok) return { error: `Not valid JSON: ${parsed.message}` };
  const v = parsed.value;
  if (!v || typeof v !== "object" || Array.isArray(v)) return { error: "The connector must be a JSON object" };
  const next = draftFrom(v as Record<string, unknown>);
  // id/version are not editable here: they identify what is being updated.
  return { draft: { ...next, id: previous.id, version: previous.version } };
}

export { row as newRow };

/** A saved connector as a PUT body (server-owned fields dropped), e.g. to flip `enabled`. */
export function inputFrom(c: Connector & Record<string, unknown>, patch: Partial<ConnectorInput> = {}): ConnectorInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!READ_ONLY.has(k) && v !== undefined) out[k] = v;
  return { ...(out as ConnectorInput), ...patch };
}
