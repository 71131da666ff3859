import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { upsertRegistryEntry } from "../../verbs/registry/upsert-registry-entry.ts";
import { RegistryEntrySchema, RegistryInputSchema } from "./schema.ts";

const route = createRoute({
  method: "put",
  path: `${ADMIN_BASE}/registry`,
  tags: ["Integration Registry"],
  summary: "Add a connector for a country and provider type, change its overrides, or make it the active one",
  description:
    "With active: true the connector becomes the provider for the pair and the previous one is deactivated, in one audited change (action registry.activate).",
  ...guard("registry.write"),
  request: {
    body: {
      ...jsonBody(RegistryInputSchema),
      content: {
        "application/json": {
          schema: RegistryInputSchema,
          example: {
            country: "BR",
            providerType: "payments",
            connectorId: "con_01j9z3m4x8r2w5k7q1c6v0b3n8",
            active: true,
            overrides: { timeoutMs: 5000 },
          },
        },
      },
    },
  },
  responses: {
    200: jsonContent(z.object({ entry: RegistryEntrySchema }), "Updated"),
    201: jsonContent(z.object({ entry: RegistryEntrySchema }), "Created"),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const upsertRegistryRoute = createRouter().openapi(route, async (c) => {
  const { entry, created } = await upsertRegistryEntry({
    ctx: serviceContext(c),
    input: c.req.valid("json"),
  });
  return created ? c.json({ entry }, 201) : c.json({ entry }, 200);
});
