import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listTokens } from "../../verbs/tokens/list-tokens.ts";
import { TokenSchema } from "./schema.ts";

const route = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/tokens`,
  tags: ["Tokens"],
  summary: "List API tokens (never their values)",
  ...guard("tokens.manage"),
  responses: { 200: jsonContent(z.object({ tokens: z.array(TokenSchema) }), "Tokens"), ...errorResponses(401, 403) },
});

export const listTokensRoute = createRouter().openapi(route, async (c) => {
  return c.json({ tokens: await listTokens({ ctx: serviceContext(c) }) }, 200);
});
