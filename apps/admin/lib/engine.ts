// The admin's one client for the engine (server side only: route handlers and server components).
// The browser never sees the token; it calls /api/engine/*, which forwards through here.
import createClient from "openapi-fetch";
import { ApiError, unwrap } from "./api-error";
import type { paths } from "./engine-api.generated";
import { ENGINE_OPERATIONS } from "./engine-routes.generated";
import { env } from "./env";

export { ApiError };

export const ADMIN_BASE = "/admin/integration-builder";
export const SESSION_COOKIE = "ib_admin_session";

/**
 * What the browser may reach through the proxy: every operation of the engine's admin API, as listed in
 * its OpenAPI document (`engine-routes.generated.ts`, written by `npm run gen:client`), plus ingest; not
 * the operations below. Anything else (health, Prometheus, inbound webhooks, control-plane ingest) is
 * refused before it reaches the engine, so the admin cannot be used to call routes it has no business with.
 */
const ADMIN_PREFIX = `${ADMIN_BASE}/`;
/** Outside the admin API, but sent from a page: "Send test event" on the events page, the catalog's AsyncAPI link. */
export const ALSO_FORWARDED: readonly string[] = ["POST /v1/events", "GET /asyncapi.json"];
/** Inside the admin API, but no page has a reason to call it. */
export const NOT_FORWARDED: Readonly<Record<string, string>> = {
  "POST /admin/integration-builder/report-control-plane":
    "the engine's push of its usage report to the control plane; an operator action with no page in the admin",
};

/** A `{name}` path parameter matches one segment of these characters (ids, secret names). */
const SEGMENT = "[A-Za-z0-9_.:-]{1,120}";
const literal = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
const templateToRegExp = (path: string) => {
  const parts = path.split(/\{[^}/]+\}/).map(literal);
  return new RegExp(`^${parts.join(SEGMENT)}$`);
};

const FORWARDED: ReadonlyArray<readonly [method: string, pattern: RegExp]> = ENGINE_OPERATIONS.filter(
  ([method, path]) => {
    const key = `${method} ${path}`;
    return ALSO_FORWARDED.includes(key) || (path.startsWith(ADMIN_PREFIX) && !(key in NOT_FORWARDED));
  },
).map(([method, path]) => [method, templateToRegExp(path)] as const);

export function isForwardable(method: string, path: string): boolean {
  // "." and ".." match SEGMENT's characters but would climb the engine's path.
  if (path.split("/").some((segment) => segment === "." || segment === "..")) return false;
  return FORWARDED.some(([m, pattern]) => m === method && pattern.test(path));
}

/**
 * Every server-side request to the engine: uncached, no redirects followed, 30 s at most. An engine that
 * cannot be reached answers like a down engine would, 503 with the error envelope.
 */
async function reach(input: Request | URL, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(input, { ...init, cache: "no-store", redirect: "manual", signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return Response.json(
      { error: { code: "UNAVAILABLE", message: `The engine at ${env.ENGINE_URL} is not reachable (${message})` } },
      { status: 503 },
    );
  }
}

/** Forward a request to the engine with the session's token; the engine's answer is returned as is. */
export function engineFetch(
  token: string,
  method: string,
  pathAndQuery: string,
  init: { body?: string; contentType?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  return reach(new URL(pathAndQuery, env.ENGINE_URL), { method, headers, body: init.body });
}

/** The engine's typed client for the server's own calls, made with a session's token. */
export function engineClient(token: string) {
  return createClient<paths>({
    baseUrl: env.ENGINE_URL,
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    fetch: (request) => reach(request),
  });
}

export const engine = {
  /** Who the token is; an ApiError (401 for an unknown or revoked token) otherwise. */
  me: (token: string) => unwrap(engineClient(token).GET("/admin/integration-builder/me")),
};
