import { createRoute, z } from "@hono/zod-openapi";
import { PRESETS } from "@ib/providers/presets";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { ApiError } from "../../lib/errors.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { PresetIdParam, PresetSchema } from "./schema.ts";

const listRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/presets`,
  tags: ["Presets"],
  summary: "Ready-made connectors for payments, messaging, maps, storage and webhook providers",
  ...guard("connectors.read"),
  responses: {
    200: jsonContent(z.object({ presets: z.array(PresetSchema) }), "Every preset"),
    ...errorResponses(401, 403),
  },
});

const getRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/presets/{id}`,
  tags: ["Presets"],
  summary: "One preset",
  ...guard("connectors.read"),
  request: { params: PresetIdParam },
  responses: { 200: jsonContent(z.object({ preset: PresetSchema }), "The preset"), ...errorResponses(401, 403, 404) },
});

export const listPresetsRoute = createRouter()
  .openapi(listRoute, (c) => c.json({ presets: PRESETS as z.infer<typeof PresetSchema>[] }, 200))
  .openapi(getRoute, (c) => {
    const preset = PRESETS.find((p) => p.id === c.req.valid("param").id);
    if (!preset) throw new ApiError("NOT_FOUND", `No preset ${c.req.valid("param").id}`);
    return c.json({ preset: preset as z.infer<typeof PresetSchema> }, 200);
  });
