import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { createRouter } from "../../app.ts";
import { can } from "../../auth/permissions.ts";
import { type AppEnv, systemContext } from "../../context.ts";
import { ApiError } from "../../lib/errors.ts";
import { errorResponses } from "../../lib/openapi.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../../observability/registry.ts";
import { authenticateToken } from "../../verbs/tokens/authenticate-token.ts";
import { hashToken, sameHash } from "../../verbs/tokens/token-value.ts";

const EXAMPLE = `# HELP ib_deliveries_total Delivery attempts by connector and outcome ...
# TYPE ib_deliveries_total counter
ib_deliveries_total{connector_id="con_01J...",outcome="success"} 1520
# HELP ib_deliveries_queue Deliveries not finished, by connector and status ...
# TYPE ib_deliveries_queue gauge
ib_deliveries_queue{connector_id="con_01J...",status="PENDING"} 3
`;

/**
 * Open like /healthz by default (the output holds counts and connector ids, never a secret). With
 * IB_METRICS_TOKEN set, the scraper must send it as a bearer token (or an API token allowed metrics.read).
 */
const metricsAuth = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.var.ctx.env.IB_METRICS_TOKEN;
  if (expected) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (!match) throw new ApiError("UNAUTHORIZED", "Missing bearer token: send Authorization: Bearer <metrics token>");
    const presented = match[1] as string;
    if (!sameHash(hashToken(presented), hashToken(expected))) {
      const actor = await authenticateToken({
        ctx: systemContext(c.var.ctx, c.var.requestId),
        input: { token: presented },
      });
      if (!actor) throw new ApiError("UNAUTHORIZED", "Invalid metrics token");
      if (!can(actor.role, "metrics.read"))
        throw new ApiError("FORBIDDEN", `Your token's role (${actor.role}) does not allow metrics.read`);
    }
  }
  await next();
});

const route = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["Health"],
  summary: "Prometheus metrics (text exposition format 0.0.4)",
  description:
    "Deliveries by outcome, attempt latency histogram, ingest counter, queue depth by status, oldest due " +
    "delivery age and circuit states. Labels are bounded (connector id at most). Needs a bearer token only " +
    "when IB_METRICS_TOKEN is set.",
  middleware: [metricsAuth] as const,
  responses: {
    200: {
      description: "Metrics in Prometheus text format",
      content: { "text/plain": { schema: z.string().openapi({ example: EXAMPLE }) } },
    },
    ...errorResponses(401, 403),
  },
});

export const scrapeRoute = createRouter().openapi(route, async (c) => {
  const body = await c.var.ctx.metrics.registry.render();
  return c.text(body, 200, { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" });
});
