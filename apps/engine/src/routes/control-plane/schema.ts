import { z } from "@hono/zod-openapi";
import { ControlPlaneReportSchema } from "@ib/core/contracts/report";

export const ReportPushedSchema = z
  .object({
    sent: z.literal(true),
    controlPlaneStatus: z.number().int().openapi({ example: 201 }),
    report: ControlPlaneReportSchema,
  })
  .openapi("ReportPushed");
