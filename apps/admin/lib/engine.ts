// The admin's one client for the engine (server side only: route handlers and server components).
// The browser never sees the token; it calls /api/engine/*, which forwards through here.
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
 * Paths the browser may reach through the proxy, by method. Anything else is refused before it
 * reaches the engine (so the admin cannot be used to call routes it has no page for).
 */
const ID = "[A-Za-z0-9_.:-]{1,120}";
const ROUTES: Array<[method: string, pattern: RegExp]> = [
  ["GET", /^\/admin\/integration-builder\/me$/],
  ["GET", /^\/admin\/integration-builder\/tokens$/],
  ["POST", /^\/admin\/integration-builder\/tokens$/],
  ["DELETE", new RegExp(`^/admin/integration-builder/tokens/${ID}$`)],
  ["GET", /^\/admin\/integration-builder\/audit$/],
  ["GET", /^\/admin\/integration-builder\/audit\/verify$/],
  ["GET", /^\/admin\/integration-builder\/connectors$/],
  ["PUT", /^\/admin\/integration-builder\/connectors$/],
  ["GET", new RegExp(`^/admin/integration-builder/connectors/${ID}$`)],
  ["DELETE", new RegExp(`^/admin/integration-builder/connectors/${ID}$`)],
  ["POST", new RegExp(`^/admin/integration-builder/connectors/${ID}/secret$`)],
  ["GET", new RegExp(`^/admin/integration-builder/connectors/${ID}/secrets$`)],
  ["DELETE", new RegExp(`^/admin/integration-builder/connectors/${ID}/secrets/${ID}$`)],
  ["GET", new RegExp(`^/admin/integration-builder/connectors/${ID}/logs$`)],
  ["GET", new RegExp(`^/admin/integration-builder/connectors/${ID}/metrics$`)],
  ["POST", new RegExp(`^/admin/integration-builder/connectors/${ID}/retry-dlq$`)],
  ["POST", /^\/admin\/integration-builder\/preview$/],
  ["GET", /^\/admin\/integration-builder\/metrics$/],
  ["GET", /^\/admin\/integration-builder\/events$/],
  ["GET", new RegExp(`^/admin/integration-builder/events/${ID}$`)],
  ["GET", new RegExp(`^/admin/integration-builder/deliveries/${ID}$`)],
  ["POST", new RegExp(`^/admin/integration-builder/deliveries/${ID}/retry$`)],
  ["GET", /^\/admin\/integration-builder\/presets$/],
  ["POST", new RegExp(`^/admin/integration-builder/presets/${ID}/connectors$`)],
  ["POST", /^\/admin\/integration-builder\/connectors\/from-preset$/],
  ["GET", /^\/admin\/integration-builder\/sources$/],
  ["PUT", /^\/admin\/integration-builder\/sources$/],
  ["GET", new RegExp(`^/admin/integration-builder/sources/${ID}$`)],
  ["DELETE", new RegExp(`^/admin/integration-builder/sources/${ID}$`)],
  ["POST", new RegExp(`^/admin/integration-builder/sources/${ID}/secret$`)],
  ["GET", new RegExp(`^/admin/integration-builder/sources/${ID}/webhooks$`)],
  ["DELETE", new RegExp(`^/admin/integration-builder/sources/${ID}/secrets/${ID}$`)],
  ["DELETE", new RegExp(`^/admin/integration-builder/registry/${ID}$`)],
  ["GET", /^\/admin\/integration-builder\/registry$/],
  ["PUT", /^\/admin\/integration-builder\/registry$/],
  ["POST", /^\/v1\/events$/],
];

export function isForwardable(method: string, path: string): boolean {
  return ROUTES.some(([m, pattern]) => m === method && pattern.test(path));
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
