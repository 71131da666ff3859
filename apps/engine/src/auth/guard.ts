import { bearerSecurity } from "../lib/openapi.ts";
import { authenticate, requirePermission } from "./middleware.ts";
import type { Permission } from "./permissions.ts";

/** The `x-permission` of an operation any valid token may call (it reads only the token itself). */
export const ANY_TOKEN = "any-token";

/**
 * The auth part of a `createRoute` config, from one value: the bearer security scheme, the middleware
 * that enforces it, and an `x-permission` extension so `/openapi.json` says what the route needs (the
 * role tests read it from there). Spread it into the config: `createRoute({ ...guard("connectors.read"), ... })`.
 */
export function guard(permission: Permission) {
  return {
    security: bearerSecurity,
    middleware: [requirePermission(permission)],
    "x-permission": permission,
  };
}

/** Like `guard`, for an operation that needs a valid token but no particular permission. */
export function guardAnyToken() {
  return { security: bearerSecurity, middleware: [authenticate], "x-permission": ANY_TOKEN };
}
