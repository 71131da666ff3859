import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { revokeToken } from "../../verbs/tokens/revoke-token.ts";
import { TokenIdParam, TokenSchema } from "./schema.ts";

const route = createRoute({
  method: "delete",
  path: `${ADMIN_BASE}/tokens/{id}`,
  tags: ["Tokens"],
  summary: "Revoke a token (it stops working at once)",
  ...guard("tokens.manage"),
  request: { params: TokenIdParam },
  responses: { 200: jsonContent(z.object({ token: TokenSchema }), "Revoked"), ...errorResponses(401, 403, 404) },
});

export const revokeTokenRoute = createRouter().openapi(route, async (c) => {
  const token = await revokeToken({ ctx: serviceContext(c), input: c.req.valid("param") });
  return c.json({ token }, 200);
});
