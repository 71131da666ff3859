import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ApiError } from "../../lib/errors.ts";
import { ADMIN_BASE, errorResponses } from "../../lib/openapi.ts";
import { reportToControlPlane } from "../../reporter/report-now.ts";
import { ReportPushedSchema } from "./schema.ts";

const route = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/report-control-plane`,
  tags: ["Control plane"],
  summary: "Push a report to the control plane now",
  description:
    "Builds this instance's report (connectors active/total, deliveries that ended successfully or failed and failed attempts over 24 h, open DLQ, per connector) " +
    "and pushes it to IB_CONTROL_PLANE_URL once, without retrying. The periodic reporter pushes the same report " +
    "every IB_REPORT_INTERVAL_MS. 409 when no control plane is configured; 503 when it cannot be reached or refuses the report.",
  ...guard("control-plane.report"),
  responses: {
    200: {
      description: "The report that was sent, and the control plane's answer",
      content: {
        "application/json": {
          schema: ReportPushedSchema,
          example: {
            sent: true,
            controlPlaneStatus: 201,
            report: {
              instanceId: "engine-eu-1",
              instanceName: "eu-west-1a",
              generatedAt: "2026-11-22T06:00:00.000Z",
              connectorsActive: 1,
              connectorsTotal: 2,
              success24h: 120,
              failure24h: 3,
              failedAttempts24h: 12,
              dlqOpen: 1,
              reportIntervalMs: 60000,
              hourly: [{ hour: "2026-11-22T05:00:00.000Z", success: 120, failure: 3, failedAttempts: 12 }],
              connectors: [
                {
                  id: "con_01j9z3m4x8r2w5k7q1c6v0b3n8",
                  name: "Orders to ERP",
                  enabled: true,
                  success24h: 120,
                  failure24h: 3,
                  failedAttempts24h: 12,
                  dlqOpen: 1,
                },
              ],
            },
          },
        },
      },
    },
    ...errorResponses(401, 403, 409, 503),
  },
});

export const reportControlPlaneRoute = createRouter().openapi(route, async (c) => {
  const ctx = serviceContext(c);
  if (!ctx.app.env.IB_CONTROL_PLANE_URL) {
    throw new ApiError(
      "CONFLICT",
      "No control plane is configured: set IB_CONTROL_PLANE_URL and IB_CONTROL_PLANE_TOKEN",
    );
  }
  const result = await reportToControlPlane({ ctx });
  return c.json({ sent: true as const, controlPlaneStatus: result.status, report: result.report }, 200);
});
