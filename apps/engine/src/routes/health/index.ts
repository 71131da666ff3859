import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { createRouter } from "../../app.ts";
import { jsonContent } from "../../lib/openapi.ts";

const Health = z.object({ status: z.literal("ok") }).openapi("Health");
const Ready = z
  .object({ status: z.enum(["ok", "unavailable"]), database: z.enum(["pglite", "postgres"]) })
  .openapi("Ready");

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["Health"],
  summary: "Liveness: the process answers",
  responses: { 200: jsonContent(Health, "Alive") },
});

const readyz = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["Health"],
  summary: "Readiness: the database answers",
  responses: { 200: jsonContent(Ready, "Ready"), 503: jsonContent(Ready, "Database unreachable") },
});

export const healthRoutes = createRouter()
  .openapi(healthz, (c) => c.json({ status: "ok" as const }, 200))
  .openapi(readyz, async (c) => {
    const ctx = c.var.ctx;
    try {
      await ctx.db.execute(sql`select 1`);
      return c.json({ status: "ok" as const, database: ctx.dbHandle.driver }, 200);
    } catch (error) {
      ctx.logger.warn({ err: error }, "readiness check failed");
      return c.json({ status: "unavailable" as const, database: ctx.dbHandle.driver }, 503);
    }
  });
