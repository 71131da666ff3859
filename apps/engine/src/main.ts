import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { serve } from "@hono/node-server";
import { type BackgroundService, backgroundServices, type ProcessRole } from "./background.ts";
import { createContext } from "./bootstrap.ts";
import { systemContext } from "./context.ts";
import { loadEnv } from "./env.ts";
import { createLogger } from "./lib/logger.ts";
import { buildApp } from "./routes/index.ts";
import { ensureBootstrapToken } from "./verbs/tokens/ensure-bootstrap-token.ts";

// Garbage collection: after a full collection V8 lets the old generation grow to up to 4× what survived
// before collecting again. The engine keeps little (~40 MB live on PostgreSQL) but allocates fast (a
// request, a transaction, a rendered delivery per event), so most of its peak memory was garbage waiting
// for that limit: 260-300 MB RSS under the PostgreSQL benchmark. Growing by 1.5× keeps it near 165 MB
// for more full collections (13-14 instead of 4-5 over its ~44,000 events, 0.2-0.3 s of GC in all,
// CPU per delivery unchanged within noise). A `--heap-growing-percent` given to node wins.
const HEAP_GROWING_PERCENT = 50;
if (!process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

async function main() {
  const { values } = parseArgs({ options: { role: { type: "string" } }, allowPositionals: true });
  const env = loadEnv();
  const role = (values.role ?? env.IB_ROLE) as ProcessRole;
  if (!["api", "worker", "all"].includes(role)) throw new Error(`--role must be api, worker or all (got ${role})`);

  const logger = createLogger(env.LOG_LEVEL, { instance: env.instanceId, role });
  const ctx = await createContext(env, { logger });
  logger.info({ driver: ctx.dbHandle.driver, dataDir: env.dataDir }, "database ready");

  const bootstrap = await ensureBootstrapToken({ ctx: systemContext(ctx) });
  if (bootstrap.generated) {
    // Printed once, on the first start; kept in the data dir (mode 0600) for `npm start` to show again.
    process.stdout.write(
      `\n  Admin token (shown once, also saved in ${env.dataDir}/admin-token):\n  ${bootstrap.value}\n\n`,
    );
  }

  let server: ReturnType<typeof serve> | undefined;
  if (role === "api" || role === "all") {
    const app = buildApp(ctx);
    server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
      logger.info(
        { url: `http://${env.HOST}:${info.port}`, docs: `http://${env.HOST}:${info.port}/docs` },
        "engine listening",
      );
    });
  }

  const services: BackgroundService[] = backgroundServices(ctx, role);
  for (const service of services) await service.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const hardStop = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, env.IB_SHUTDOWN_GRACE_MS + 10_000);
    hardStop.unref();
    try {
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(services.map((s) => s.stop(env.IB_SHUTDOWN_GRACE_MS)));
    } catch (error) {
      logger.error({ err: error }, "error while stopping");
    } finally {
      await ctx.brokers.close();
      await ctx.dbHandle.close();
      logger.info("stopped");
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  const logger = createLogger("info");
  logger.fatal({ err: { message: error instanceof Error ? error.message : String(error) } }, "engine failed to start");
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
