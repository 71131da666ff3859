import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonContent } from "../../lib/openapi.ts";
import { listAudit } from "../../verbs/audit/list-audit.ts";
import { verifyAuditChain } from "../../verbs/audit/verify-audit-chain.ts";

const AuditEntry = z
  .object({
    seq: z.number(),
    at: z.string(),
    actorId: z.string().nullable().openapi({ example: "tok_01j9z3kq0a7w2e5r8t1y4u6i9o" }),
    actorName: z
      .string()
      .nullable()
      .openapi({ description: "The actor token's name (engine for the engine itself)", example: "ci deploy" }),
    actorRole: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable().openapi({ example: "con_01j9z3kq0a7w2e5r8t1y4u6i9o" }),
    targetName: z.string().nullable().openapi({
      description:
        "The name of the connector, token or source the target id stands for (its last recorded name once deleted); null for other targets",
      example: "Orders to ERP",
    }),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEntry");

const listRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/audit`,
  tags: ["Audit"],
  summary: "Read the audit log, newest first",
  ...guard("audit.read"),
  request: {
    query: z.object({
      actor: z.string().max(200).optional().openapi({ description: "Token id of the actor" }),
      action: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: "Exact action, or a prefix ending in *", example: "connector.*" }),
      target: z.string().max(200).optional(),
      cursor: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: {
    200: jsonContent(z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() }), "Entries"),
    ...errorResponses(400, 401, 403),
  },
});

const verifyRoute = createRoute({
  method: "get",
  path: `${ADMIN_BASE}/audit/verify`,
  tags: ["Audit"],
  summary: "Re-compute the hash chain and report the first broken link",
  ...guard("audit.read"),
  responses: {
    200: jsonContent(
      z.object({
        ok: z.boolean(),
        checked: z.number(),
        firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
      }),
      "Verification result",
    ),
    ...errorResponses(401, 403),
  },
});

export const auditRoutes = createRouter()
  .openapi(listRoute, async (c) =>
    c.json(await listAudit({ ctx: serviceContext(c), input: c.req.valid("query") }), 200),
  )
  .openapi(verifyRoute, async (c) => c.json(await verifyAuditChain({ ctx: serviceContext(c) }), 200));
