import type { ServiceContext } from "../context.ts";
import { Unavailable } from "../lib/domain-errors.ts";
import { recordAudit } from "../verbs/audit/record-audit.ts";
import { buildReport, type ControlPlaneReport } from "./build-report.ts";
import { pushReport, ReportPushError } from "./push-report.ts";

/** Build and push a report once, on an operator's request; audited. A refusal is Unavailable (503). */
export async function reportToControlPlane({
  ctx,
}: {
  ctx: ServiceContext;
}): Promise<{ status: number; report: ControlPlaneReport }> {
  const report = await buildReport({ ctx });
  let status: number;
  try {
    ({ status } = await pushReport({ ctx, input: { report } }));
  } catch (error) {
    if (error instanceof ReportPushError) {
      ctx.log.warn({ status: error.status, err: { message: error.message } }, "manual report push failed");
      throw new Unavailable(error.message, error.status ? { controlPlaneStatus: error.status } : undefined);
    }
    throw error;
  }
  await recordAudit({
    ctx,
    input: {
      action: "control-plane.report",
      target: report.instanceId,
      details: { controlPlaneStatus: status, connectorsTotal: report.connectorsTotal },
    },
  });
  return { status, report };
}
