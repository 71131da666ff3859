// The browser's typed view of the engine. Every call goes to the admin's own /api/engine proxy,
// which attaches the session's token server-side; nothing here ever sees a token.
import type {
  AuditEntry,
  Connector,
  ConnectorInput,
  Delivery,
  ErrorEnvelope,
  EventRecord,
  InboundWebhook,
  Me,
  Metrics,
  Preset,
  PreviewResult,
  RegistryEntry,
  SampleEvent,
  SecretInfo,
  Source,
  Token,
} from "./types";

const BASE = "/api/engine/admin/integration-builder";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Query = Record<string, string | number | undefined | null>;

function qs(query?: Query): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

async function call<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const res = await fetch(`${path}${qs(query)}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data as ErrorEnvelope | undefined)?.error;
    if (res.status === 401 && typeof window !== "undefined" && !path.startsWith("/api/session")) {
      window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
    }
    throw new ApiError(
      res.status,
      e?.code ?? "HTTP_ERROR",
      e?.message ?? `Request failed (${res.status})`,
      e?.requestId,
      e?.details,
    );
  }
  return data as T;
}

/** Lists come back as `{<key>: [...]}` or `{items: [...]}` or a bare array; normalise to an array. */
function list<T>(data: unknown, key: string): T[] {
  if (Array.isArray(data)) return data as T[];
  const obj = (data ?? {}) as Record<string, unknown>;
  const value = obj[key] ?? obj.items ?? obj.data;
  return Array.isArray(value) ? (value as T[]) : [];
}
function cursorOf(data: unknown): string | null {
  const c = (data as { nextCursor?: unknown } | null)?.nextCursor;
  return c === undefined || c === null ? null : String(c);
}
function one<T>(data: unknown, key: string): T {
  const obj = data as Record<string, unknown>;
  return (obj && typeof obj === "object" && key in obj ? obj[key] : data) as T;
}

export const api = {
  session: {
    signIn: (token: string) => call<Me>("POST", "/api/session", { token }),
    signOut: () => call<{ ok: true }>("DELETE", "/api/session"),
  },
  me: () => call<Me>("GET", `${BASE}/me`),

  tokens: {
    list: async () => list<Token>(await call("GET", `${BASE}/tokens`), "tokens"),
    create: (input: { name: string; role: string }) =>
      call<{ token: Token; value: string }>("POST", `${BASE}/tokens`, input),
    revoke: (id: string) => call<{ token: Token }>("DELETE", `${BASE}/tokens/${encodeURIComponent(id)}`),
  },

  audit: async (query: { actor?: string; action?: string; target?: string; cursor?: string; limit?: number }) => {
    const data = await call<unknown>("GET", `${BASE}/audit`, undefined, query);
    return { entries: list<AuditEntry>(data, "entries"), nextCursor: cursorOf(data) };
  },

  connectors: {
    list: async () => list<Connector & Record<string, unknown>>(await call("GET", `${BASE}/connectors`), "connectors"),
    get: async (id: string) =>
      one<Connector>(await call("GET", `${BASE}/connectors/${encodeURIComponent(id)}`), "connector"),
    save: async (input: ConnectorInput) => one<Connector>(await call("PUT", `${BASE}/connectors`, input), "connector"),
    remove: (id: string) => call<unknown>("DELETE", `${BASE}/connectors/${encodeURIComponent(id)}`),
    secrets: async (id: string) =>
      list<SecretInfo>(await call("GET", `${BASE}/connectors/${encodeURIComponent(id)}/secrets`), "secrets"),
    setSecret: (id: string, input: { name: string; value: string }) =>
      call<{ name: string; updatedAt: string }>("POST", `${BASE}/connectors/${encodeURIComponent(id)}/secret`, input),
    deleteSecret: (id: string, name: string) =>
      call<unknown>("DELETE", `${BASE}/connectors/${encodeURIComponent(id)}/secrets/${encodeURIComponent(name)}`),
    logs: async (id: string, query: { status?: string; eventId?: string; cursor?: string; limit?: number }) => {
      const data = await call<unknown>("GET", `${BASE}/connectors/${encodeURIComponent(id)}/logs`, undefined, query);
      return { deliveries: list<Delivery>(data, "deliveries"), nextCursor: cursorOf(data) };
    },
    metrics: (id: string) => call<Metrics>("GET", `${BASE}/connectors/${encodeURIComponent(id)}/metrics`),
    retryDlq: (id: string) =>
      call<{ requeued: number }>("POST", `${BASE}/connectors/${encodeURIComponent(id)}/retry-dlq`),
  },

  preview: (input: { connector?: ConnectorInput; connectorId?: string; event?: SampleEvent }) =>
    call<PreviewResult>("POST", `${BASE}/preview`, input),

  metrics: () => call<Metrics>("GET", `${BASE}/metrics`),

  deliveries: {
    get: async (id: string) =>
      one<Delivery>(await call("GET", `${BASE}/deliveries/${encodeURIComponent(id)}`), "delivery"),
    retry: (id: string) => call<unknown>("POST", `${BASE}/deliveries/${encodeURIComponent(id)}/retry`),
  },

  events: {
    list: async (query: { name?: string; cursor?: string; limit?: number }) => {
      const data = await call<unknown>("GET", `${BASE}/events`, undefined, query);
      return { events: list<EventRecord>(data, "events"), nextCursor: cursorOf(data) };
    },
    get: async (id: string) => one<EventRecord>(await call("GET", `${BASE}/events/${encodeURIComponent(id)}`), "event"),
    send: (input: { id?: string; name: string; source?: string; payload: unknown }) =>
      call<{ id: string; deliveries: Array<{ id: string; connectorId: string }>; duplicate?: boolean }>(
        "POST",
        "/api/engine/v1/events",
        input,
      ),
  },

  presets: {
    list: async () => list<Preset>(await call("GET", `${BASE}/presets`), "presets"),
    /** One call: the preset + its parameters + overrides + secrets become a connector. */
    createConnector: async (
      id: string,
      input: {
        name: string;
        secrets: Record<string, string>;
        parameters: Record<string, string>;
        overrides?: Record<string, unknown>;
      },
    ) => one<Connector>(await call("POST", `${BASE}/presets/${encodeURIComponent(id)}/connectors`, input), "connector"),
  },

  sources: {
    list: async () => list<Source>(await call("GET", `${BASE}/sources`), "sources"),
    save: async (input: Record<string, unknown>) => one<Source>(await call("PUT", `${BASE}/sources`, input), "source"),
    remove: (id: string) => call<unknown>("DELETE", `${BASE}/sources/${encodeURIComponent(id)}`),
    setSecret: (id: string, input: { name: "signingSecret"; value: string; previousSecretTtlSeconds?: number }) =>
      call<{ id: string; previousSecretsExpireAt: string | null }>(
        "POST",
        `${BASE}/sources/${encodeURIComponent(id)}/secret`,
        input,
      ),
    webhooks: async (id: string) => {
      const data = await call<unknown>("GET", `${BASE}/sources/${encodeURIComponent(id)}/webhooks`, undefined, {
        limit: 50,
      });
      return list<InboundWebhook>(data, "webhooks");
    },
  },

  registry: {
    list: async () => list<RegistryEntry>(await call("GET", `${BASE}/registry`), "entries"),
    save: async (input: {
      country: string;
      providerType: string;
      connectorId: string;
      active?: boolean;
      overrides?: Record<string, unknown>;
    }) => one<RegistryEntry>(await call("PUT", `${BASE}/registry`, input), "entry"),
    remove: (id: string) => call<unknown>("DELETE", `${BASE}/registry/${encodeURIComponent(id)}`),
  },
};
