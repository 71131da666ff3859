// The admin's one client for the engine (server side only: route handlers and server components).
// The browser never sees the token; it calls /api/engine/*, which forwards through here.
import { ENGINE_OPERATIONS } from "./engine-routes.generated";
import { env } from "./env";
import type { ErrorEnvelope, Me } from "./types";

export const ADMIN_BASE = "/admin/integration-builder";
export const SESSION_COOKIE = "ib_admin_session";

export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/**
 * What the browser may reach through the proxy: every operation of the engine's admin API, as listed in
 * its OpenAPI document (`engine-routes.generated.ts`, written by `npm run gen:client`), plus ingest; not
 * the operations below. Anything else (health, Prometheus, inbound webhooks, control-plane ingest) is
 * refused before it reaches the engine, so the admin cannot be used to call routes it has no business with.
 */
const ADMIN_PREFIX = `${ADMIN_BASE}/`;
/** Outside the admin API, but sent from a page: "Send test event" on the events page. */
export const ALSO_FORWARDED: readonly string[] = ["POST /v1/events"];
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

/** Forward a request to the engine with the session's token; the engine's answer is returned as is. */
export async function engineFetch(
  token: string,
  method: string,
  pathAndQuery: string,
  init: { body?: string; contentType?: string; requestId?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  if (init.requestId) headers["x-request-id"] = init.requestId;
  try {
    return await fetch(new URL(pathAndQuery, env.ENGINE_URL), {
      method,
      headers,
      body: init.body,
      cache: "no-store",
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const body: ErrorEnvelope = {
      error: { code: "UNAVAILABLE", message: `The engine at ${env.ENGINE_URL} is not reachable (${message})` },
    };
    return Response.json(body, { status: 503 });
  }
}

/** A typed JSON call; throws EngineError with the engine's error envelope on a non-2xx answer. */
export async function engineJson<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await engineFetch(token, method, path, body === undefined ? {} : { body: JSON.stringify(body) });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const envelope = (data as ErrorEnvelope | undefined)?.error;
    throw new EngineError(
      res.status,
      envelope?.code ?? "ENGINE_ERROR",
      envelope?.message ?? `Engine answered ${res.status}`,
      envelope?.requestId,
      envelope?.details,
    );
  }
  return data as T;
}

export const engine = {
  me: (token: string) => engineJson<Me>(token, "GET", `${ADMIN_BASE}/me`),
};
