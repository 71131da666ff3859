import type { BackgroundService } from "./background-service.ts";
import { brokerSourcesService } from "./brokers/service.ts";
import type { AppContext } from "./context.ts";
import { inboundService } from "./inbound/service.ts";
import { alertMonitor } from "./observability/alerts.ts";
import { reconciliationService } from "./reconciliation/service.ts";
import { controlPlaneReporter } from "./reporter/reporter-service.ts";
import { retentionService } from "./retention/service.ts";
import { replayService } from "./verbs/replays/replay-service.ts";
import { deliveryWorker } from "./worker/service.ts";

export type ProcessRole = "api" | "worker" | "all";

export type { BackgroundService };

/** The background services a process runs for its role. */
export function backgroundServices(ctx: AppContext, role: ProcessRole): BackgroundService[] {
  const services: BackgroundService[] = [];
  if (role === "worker" || role === "all") services.push(retentionService(ctx), alertMonitor(ctx));
  if (role === "worker" || role === "all") services.push(inboundService(ctx));
  if (role === "worker" || role === "all") services.push(replayService(ctx));
  if (role === "worker" || role === "all") services.push(reconciliationService(ctx));
  if (role === "worker" || role === "all") services.push(deliveryWorker(ctx));
  // Consumers of RabbitMQ / NATS sources: one per source across all processes (advisory-lock leadership).
  if (role === "worker" || role === "all") services.push(brokerSourcesService(ctx));
  // One report per deployment role that serves the API (workers share its database and numbers).
  if (ctx.env.IB_CONTROL_PLANE_URL && (role === "api" || role === "all")) services.push(controlPlaneReporter(ctx));
  return services;
}
