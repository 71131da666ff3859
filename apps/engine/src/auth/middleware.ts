import { createMiddleware } from "hono/factory";
import { type AppEnv, requestContext, type ServiceContext, systemContext } from "../context.ts";
import { ApiError } from "../lib/errors.ts";
import { authenticateToken } from "../verbs/tokens/authenticate-token.ts";
import { can, type Permission } from "./permissions.ts";

/** Resolve `Authorization: Bearer <token>` to an actor, or answer 401. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.actor) {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ApiError("UNAUTHORIZED", "Missing bearer token: send Authorization: Bearer <token>");
    // Nobody is authenticated yet: the engine itself looks the token up.
    const ctx = systemContext(c.var.ctx, c.var.requestId);
    const actor = await authenticateToken({ ctx, input: { token: match[1] as string } });
    if (!actor) throw new ApiError("UNAUTHORIZED", "Invalid or revoked token");
    c.set("actor", actor);
  }
  await next();
});

/** Route-level guard: authenticated, and the token's role grants `permission`. */
export function requirePermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await authenticate(c, async () => {});
    const actor = c.var.actor;
    if (!actor || !can(actor.role, permission)) {
      throw new ApiError("FORBIDDEN", `Your token's role (${actor?.role}) does not allow ${permission}`);
    }
    await next();
  });
}

/** The authenticated actor of a guarded route. */
export function actorOf(c: { var: AppEnv["Variables"] }) {
  const actor = c.var.actor;
  if (!actor) throw new ApiError("UNAUTHORIZED", "Not authenticated");
  return actor;
}

/** The verb context of an authenticated request: `verbNoun({ ctx: serviceContext(c), input })`. */
export function serviceContext(c: { var: AppEnv["Variables"] }): ServiceContext {
  const app = c.var.ctx;
  const requestId = c.var.requestId;
  return requestContext(app, actorOf(c), requestId);
}
