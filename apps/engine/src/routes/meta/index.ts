import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guardAnyToken } from "../../auth/guard.ts";
import { actorOf } from "../../auth/middleware.ts";
import { PERMISSIONS, ROLE_PERMISSIONS } from "../../auth/permissions.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";

const Me = z
  .object({
    tokenId: z.string(),
    name: z.string(),
    role: z.string(),
    permissions: z.array(z.enum(PERMISSIONS)),
  })
  .openapi("Me");

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/me`,
  tags: ["Tokens"],
  summary: "Who this token is: its role and permissions (used to sign in)",
  ...guardAnyToken(),
  responses: { 200: jsonContent(Me, "The token's identity"), ...errorResponses(401) },
});

export const metaRoutes = createRouter().openapi(route, (c) => {
  const actor = actorOf(c);
  const permissions = actor.role === "system" ? [...PERMISSIONS] : [...ROLE_PERMISSIONS[actor.role]];
  return c.json({ tokenId: actor.tokenId, name: actor.name, role: actor.role, permissions }, 200);
});
