import { createRoute, z } from "@hono/zod-openapi";
import type { PresetOverrides } from "@ib/providers/presets";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { can } from "../../auth/permissions.ts";
import { ApiError } from "../../lib/errors.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { createConnectorFromPreset } from "../../verbs/presets/create-connector-from-preset.ts";
import { ConnectorSchema } from "../connectors/schema.ts";
import { CreateFromPresetSchema, PresetIdParam } from "./schema.ts";

const route = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/presets/{id}/connectors`,
  tags: ["Presets"],
  summary: "Create a connector from a preset, with its secrets, in one call",
  ...guard("connectors.write"),
  request: { params: PresetIdParam, body: jsonBody(CreateFromPresetSchema) },
  responses: {
    201: jsonContent(z.object({ connector: ConnectorSchema, preset: z.string() }), "Created, secrets stored"),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const createFromPresetRoute = createRouter().openapi(route, async (c) => {
  const ctx = serviceContext(c);
  if (!can(ctx.actor.role, "secrets.write"))
    throw new ApiError("FORBIDDEN", `Your token's role (${ctx.actor.role}) does not allow secrets.write`);
  const body = c.req.valid("json");
  const result = await createConnectorFromPreset({
    ctx,
    input: {
      presetId: c.req.valid("param").id,
      name: body.name,
      secrets: body.secrets,
      parameters: body.parameters,
      overrides: body.overrides as PresetOverrides | undefined,
    },
  });
  return c.json(result, 201);
});
