// The browser's typed client for the engine: openapi-fetch over the types generated from the engine's
// OpenAPI document (`npm run gen:client`). Every call goes to the admin's own /api/engine proxy, which
// attaches the session's token server-side; nothing here ever sees a token.
import createClient, { type Middleware } from "openapi-fetch";
import { ApiError, unwrap } from "./api-error";
import type { paths } from "./engine-api.generated";
import type { EngineBody, EngineQuery, Me } from "./engine-types";

export { ApiError };

/** An expired or revoked session: back to sign-in, then to this page again. */
const signInOnUnauthorized: Middleware = {
  onResponse({ response }) {
    if (response.status === 401 && typeof window !== "undefined") {
      window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
    }
  },
};

const engine = createClient<paths>({ baseUrl: "/api/engine", credentials: "same-origin", cache: "no-store" });
engine.use(signInOnUnauthorized);

/** Form filters leave empty strings; the engine reads an empty filter as a filter, so they are dropped. */
function compact<Q extends object>(query: Q): Q {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "")) as Q;
}

/** Sign-in and sign-out are the admin's own routes (they set the session cookie), not the engine's. */
async function session<T>(method: "POST" | "DELETE", body?: unknown): Promise<T> {
  const response = await fetch("/api/session", {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const data = await response.json().catch(() => undefined);
  return unwrap(Promise.resolve({ data: data as T, error: data, response }));
}

const id = (value: string) => ({ path: { id: value } });

export const api = {
  session: {
    signIn: (token: string) => session<Me>("POST", { token }),
    signOut: () => session<{ ok: true }>("DELETE"),
  },
  me: () => unwrap(engine.GET("/admin/integration-builder/me")),

  tokens: {
    list: async () => (await unwrap(engine.GET("/admin/integration-builder/tokens"))).tokens,
    create: (body: EngineBody<"/admin/integration-builder/tokens", "post">) =>
      unwrap(engine.POST("/admin/integration-builder/tokens", { body })),
    revoke: (tokenId: string) =>
      unwrap(engine.DELETE("/admin/integration-builder/tokens/{id}", { params: id(tokenId) })),
  },

  audit: (query: EngineQuery<"/admin/integration-builder/audit">) =>
    unwrap(engine.GET("/admin/integration-builder/audit", { params: { query: compact(query) } })),

  connectors: {
    list: async () => (await unwrap(engine.GET("/admin/integration-builder/connectors"))).connectors,
    get: (connectorId: string) =>
      unwrap(engine.GET("/admin/integration-builder/connectors/{id}", { params: id(connectorId) })),
    save: (body: EngineBody<"/admin/integration-builder/connectors", "put">) =>
      unwrap(engine.PUT("/admin/integration-builder/connectors", { body })),
    remove: (connectorId: string) =>
      unwrap(engine.DELETE("/admin/integration-builder/connectors/{id}", { params: id(connectorId) })),
    secrets: async (connectorId: string) =>
      (await unwrap(engine.GET("/admin/integration-builder/connectors/{id}/secrets", { params: id(connectorId) })))
        .secrets,
    setSecret: (connectorId: string, body: EngineBody<"/admin/integration-builder/connectors/{id}/secret", "post">) =>
      unwrap(engine.POST("/admin/integration-builder/connectors/{id}/secret", { params: id(connectorId), body })),
    deleteSecret: (connectorId: string, name: string) =>
      unwrap(
        engine.DELETE("/admin/integration-builder/connectors/{id}/secrets/{name}", {
          params: { path: { id: connectorId, name } },
        }),
      ),
    logs: (connectorId: string, query: EngineQuery<"/admin/integration-builder/connectors/{id}/logs">) =>
      unwrap(
        engine.GET("/admin/integration-builder/connectors/{id}/logs", {
          params: { path: { id: connectorId }, query: compact(query) },
        }),
      ),
    metrics: (connectorId: string) =>
      unwrap(engine.GET("/admin/integration-builder/connectors/{id}/metrics", { params: id(connectorId) })),
    /** Every DLQ delivery, or the subset `{from?, to?, errorContains?}`; `dryRun` only counts (`matched`). */
    retryDlq: (
      connectorId: string,
      body?: EngineBody<"/admin/integration-builder/connectors/{id}/retry-dlq", "post">,
    ) => unwrap(engine.POST("/admin/integration-builder/connectors/{id}/retry-dlq", { params: id(connectorId), body })),
    /** One real request now, through the engine's delivery path (no delivery recorded; 1/s per connector). */
    test: (connectorId: string, body: EngineBody<"/admin/integration-builder/connectors/{id}/test", "post">) =>
      unwrap(engine.POST("/admin/integration-builder/connectors/{id}/test", { params: id(connectorId), body })),
  },

  preview: (body: EngineBody<"/admin/integration-builder/preview", "post">) =>
    unwrap(engine.POST("/admin/integration-builder/preview", { body })),

  metrics: () => unwrap(engine.GET("/admin/integration-builder/metrics")),

  deliveries: {
    get: (deliveryId: string) =>
      unwrap(engine.GET("/admin/integration-builder/deliveries/{id}", { params: id(deliveryId) })),
    retry: (deliveryId: string) =>
      unwrap(engine.POST("/admin/integration-builder/deliveries/{id}/retry", { params: id(deliveryId) })),
  },

  events: {
    list: (query: EngineQuery<"/admin/integration-builder/events">) =>
      unwrap(engine.GET("/admin/integration-builder/events", { params: { query: compact(query) } })),
    get: (eventId: string) => unwrap(engine.GET("/admin/integration-builder/events/{id}", { params: id(eventId) })),
    send: (body: EngineBody<"/v1/events", "post">) => unwrap(engine.POST("/v1/events", { body })),
  },

  presets: {
    list: async () => (await unwrap(engine.GET("/admin/integration-builder/presets"))).presets,
    /** One call: the preset + its parameters + overrides + secrets become a connector. */
    createConnector: async (
      presetId: string,
      body: EngineBody<"/admin/integration-builder/presets/{id}/connectors", "post">,
    ) =>
      (await unwrap(engine.POST("/admin/integration-builder/presets/{id}/connectors", { params: id(presetId), body })))
        .connector,
  },

  sources: {
    list: async () => (await unwrap(engine.GET("/admin/integration-builder/sources"))).sources,
    save: async (body: EngineBody<"/admin/integration-builder/sources", "put">) =>
      (await unwrap(engine.PUT("/admin/integration-builder/sources", { body }))).source,
    remove: (sourceId: string) =>
      unwrap(engine.DELETE("/admin/integration-builder/sources/{id}", { params: id(sourceId) })),
    setSecret: (sourceId: string, body: EngineBody<"/admin/integration-builder/sources/{id}/secret", "post">) =>
      unwrap(engine.POST("/admin/integration-builder/sources/{id}/secret", { params: id(sourceId), body })),
    webhooks: async (sourceId: string) =>
      (
        await unwrap(
          engine.GET("/admin/integration-builder/sources/{id}/webhooks", {
            params: { path: { id: sourceId }, query: { limit: 50 } },
          }),
        )
      ).webhooks,
    /** One received webhook with its headers and raw body (integrations.webhooks.raw.read; the engine audits it). */
    webhook: async (sourceId: string, webhookId: string) =>
      (
        await unwrap(
          engine.GET("/admin/integration-builder/sources/{id}/webhooks/{webhookId}", {
            params: { path: { id: sourceId, webhookId } },
          }),
        )
      ).webhook,
  },

  reconciliation: {
    /** Expectations (or, with status UNEXPECTED, the events nobody expected), newest first. */
    list: (query: EngineQuery<"/admin/integration-builder/reconciliation">) =>
      unwrap(engine.GET("/admin/integration-builder/reconciliation", { params: { query: compact(query) } })),
    summary: (query: EngineQuery<"/admin/integration-builder/reconciliation/summary"> = {}) =>
      unwrap(engine.GET("/admin/integration-builder/reconciliation/summary", { params: { query: compact(query) } })),
    get: (expectationId: string) =>
      unwrap(engine.GET("/admin/integration-builder/reconciliation/{id}", { params: id(expectationId) })),
    /** Event names of the catalog, for the confirmation event's picker. */
    eventNames: async () =>
      (await unwrap(engine.GET("/admin/integration-builder/event-types"))).eventTypes.map((t) => t.name),
  },

  /** The event catalog (event types and names seen at ingest) and "create from observed". */
  catalog: {
    list: async () => (await unwrap(engine.GET("/admin/integration-builder/event-types"))).eventTypes,
    get: (name: string) =>
      unwrap(engine.GET("/admin/integration-builder/event-types/{name}", { params: { path: { name } } })),
    save: (body: EngineBody<"/admin/integration-builder/event-types", "put">) =>
      unwrap(engine.PUT("/admin/integration-builder/event-types", { body })),
    remove: (name: string) =>
      unwrap(engine.DELETE("/admin/integration-builder/event-types/{name}", { params: { path: { name } } })),
    inferred: (name: string) =>
      unwrap(
        engine.GET("/admin/integration-builder/event-types/{name}/inferred-schema", { params: { path: { name } } }),
      ),
  },

  /** Replays of stored events to a connector (`dryRun` counts only) and their progress. */
  replays: {
    create: (body: EngineBody<"/admin/integration-builder/replays", "post">) =>
      unwrap(engine.POST("/admin/integration-builder/replays", { body })),
    get: (replayId: string) => unwrap(engine.GET("/admin/integration-builder/replays/{id}", { params: id(replayId) })),
  },

  registry: {
    list: async () => (await unwrap(engine.GET("/admin/integration-builder/registry"))).entries,
    save: async (body: EngineBody<"/admin/integration-builder/registry", "put">) =>
      (await unwrap(engine.PUT("/admin/integration-builder/registry", { body }))).entry,
    remove: (entryId: string) =>
      unwrap(engine.DELETE("/admin/integration-builder/registry/{id}", { params: id(entryId) })),
  },
};
