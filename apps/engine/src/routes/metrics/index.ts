import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { getConnectorMetrics, getGlobalMetrics } from "../../verbs/deliveries/delivery-metrics.ts";
import { ConnectorIdParam } from "../deliveries/schema.ts";
import { ConnectorMetricsSchema, GlobalMetricsSchema } from "./schema.ts";

const connectorRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/connectors/{id}/metrics`,
  tags: ["Metrics"],
  summary: "A connector's delivery metrics: counts by status, 24 h success/failure, latency, DLQ, circuit",
  ...guard("metrics.read"),
  request: { params: ConnectorIdParam },
  responses: { 200: jsonContent(ConnectorMetricsSchema, "Metrics"), ...errorResponses(401, 403, 404) },
});

const globalRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/metrics`,
  tags: ["Metrics"],
  summary: "Engine-wide metrics: connectors active/total, 24 h success/failure, DLQ open, latency, per connector",
  ...guard("metrics.read"),
  responses: { 200: jsonContent(GlobalMetricsSchema, "Metrics"), ...errorResponses(401, 403) },
});

export const metricsRoutes = createRouter()
  .openapi(connectorRoute, async (c) =>
    c.json(await getConnectorMetrics({ ctx: serviceContext(c), input: { connectorId: c.req.valid("param").id } }), 200),
  )
  .openapi(globalRoute, async (c) => c.json(await getGlobalMetrics({ ctx: serviceContext(c) }), 200));
