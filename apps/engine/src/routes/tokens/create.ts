import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { createToken } from "../../verbs/tokens/create-token.ts";
import { CreatedTokenSchema, CreateTokenSchema } from "./schema.ts";

const route = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/tokens`,
  tags: ["Tokens"],
  summary: "Create an API token; its value is returned once",
  ...guard("tokens.manage"),
  request: { body: jsonBody(CreateTokenSchema) },
  responses: { 201: jsonContent(CreatedTokenSchema, "Created"), ...errorResponses(400, 401, 403) },
});

export const createTokenRoute = createRouter().openapi(route, async (c) => {
  const created = await createToken({ ctx: serviceContext(c), input: c.req.valid("json") });
  return c.json(created, 201);
});
