import { createApp } from "../app.ts";
import type { AppContext } from "../context.ts";
import { auditRoutes } from "./audit/index.ts";
import { asyncApiRoute } from "./catalog/asyncapi.ts";
import { connectorRoutes } from "./connectors/index.ts";
import { controlPlaneRoutes } from "./control-plane/index.ts";
import { deliveryRoutes } from "./deliveries/index.ts";
import { mountDocs } from "./docs.ts";
import { eventTypeRoutes } from "./event-types/index.ts";
import { eventRoutes } from "./events/index.ts";
import { healthRoutes } from "./health/index.ts";
import { metaRoutes } from "./meta/index.ts";
import { metricsRoutes } from "./metrics/index.ts";
import { presetRoutes } from "./presets/index.ts";
import { previewRoutes } from "./preview/index.ts";
import { prometheusRoutes } from "./prometheus/index.ts";
import { reconciliationRoutes } from "./reconciliation/index.ts";
import { registryRoutes } from "./registry/index.ts";
import { secretRoutes } from "./secrets/index.ts";
import { sourceRoutes } from "./sources/index.ts";
import { tokenRoutes } from "./tokens/index.ts";
import { webhookRoutes } from "./webhooks/index.ts";

/** The whole engine API: every route folder mounted on the app factory. */
export function buildApp(ctx: AppContext) {
  const app = createApp(ctx);
  app.route("/", healthRoutes);
  app.route("/", metaRoutes);
  app.route("/", tokenRoutes);
  app.route("/", auditRoutes);
  app.route("/", prometheusRoutes);
  app.route("/", controlPlaneRoutes);
  app.route("/", eventRoutes);
  app.route("/", deliveryRoutes);
  app.route("/", metricsRoutes);
  app.route("/", connectorRoutes);
  app.route("/", secretRoutes);
  app.route("/", previewRoutes);
  app.route("/", sourceRoutes);
  app.route("/", webhookRoutes);
  app.route("/", presetRoutes);
  app.route("/", registryRoutes);
  app.route("/", eventTypeRoutes);
  app.route("/", asyncApiRoute);
  app.route("/", reconciliationRoutes);
  mountDocs(app);
  return app;
}
