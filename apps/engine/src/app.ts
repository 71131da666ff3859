import { OpenAPIHono } from "@hono/zod-openapi";
import { newId, requestIdFrom } from "@ib/core";
import { HTTPException } from "hono/http-exception";
import { authenticate } from "./auth/middleware.ts";
import type { AppContext, AppEnv } from "./context.ts";
import { DomainError, domainErrorCode, RateLimited } from "./lib/domain-errors.ts";
import { ApiError, ERROR_STATUS, type ErrorCode, envelope } from "./lib/errors.ts";
import { limitBody } from "./lib/request-body.ts";

/**
 * The only paths under `/admin` that answer without a token (none today). Everything else under `/admin`
 * needs a valid token before it reaches its route, so a route that forgets its guard is still refused;
 * the route's own guard then checks the permission. The role tests check this list against /openapi.json.
 */
export const PUBLIC_ADMIN_PATHS: readonly string[] = [];

/**
 * The one app factory: typed context, request id, body limit, the zod error hook and the error
 * envelope. Route modules are built with it too (`createRouter`) so they share the hook.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code }));
        const first = issues[0];
        const message = first
          ? `Invalid ${result.target}: ${first.path ? `${first.path}: ` : ""}${first.message}`
          : "Invalid request";
        return c.json(envelope("VALIDATION_FAILED", message, c.var.requestId, { issues }), 400);
      }
    },
  });
}

export function createApp(ctx: AppContext) {
  const app = createRouter();

  app.use("*", async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = requestIdFrom(incoming);
    c.set("requestId", requestId);
    c.set("ctx", ctx);
    c.set("actor", undefined);
    c.header("x-request-id", requestId);
    const started = performance.now();
    await next();
    if (c.req.path !== "/healthz" && c.req.path !== "/readyz") {
      ctx.logger.info(
        {
          requestId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          actor: c.var.actor?.tokenId,
        },
        "request",
      );
    }
  });

  app.use(
    "*",
    limitBody((c) => {
      const path = c.req.path;
      if (path === "/v1/events/batch") return ctx.env.IB_MAX_BATCH_BYTES;
      return path === "/v1/events" ? ctx.env.IB_MAX_EVENT_BYTES : ctx.env.IB_MAX_BODY_BYTES;
    }),
  );

  // Deny by default: after the request id (the 401 carries it) and the body limit, before any route.
  app.use("/admin/*", async (c, next) => {
    if (PUBLIC_ADMIN_PATHS.includes(c.req.path)) return next();
    return authenticate(c, next);
  });

  app.notFound((c) =>
    c.json(
      envelope("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`, c.var.requestId ?? newId("request")),
      404,
    ),
  );

  app.onError((error, c) => {
    const requestId = c.var.requestId ?? newId("request");
    if (error instanceof ApiError)
      return c.json(envelope(error.code, error.message, requestId, error.details), error.status);
    if (error instanceof DomainError) {
      const code = domainErrorCode(error);
      if (error instanceof RateLimited)
        c.header("Retry-After", String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      return c.json(envelope(code, error.message, requestId, error.details), ERROR_STATUS[code]);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      const code = (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] ?? "BAD_REQUEST") as ErrorCode;
      if (status >= 500) {
        ctx.logger.error({ err: error, requestId }, "unhandled http exception");
        return c.json(envelope("INTERNAL", "Internal error", requestId), 500);
      }
      return c.json(envelope(code, error.message || "Bad request", requestId), status as 400);
    }
    ctx.logger.error({ err: error, requestId, path: c.req.path }, "unhandled error");
    return c.json(
      envelope("INTERNAL", "Internal error; the request id identifies it in the engine's log", requestId),
      500,
    );
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
