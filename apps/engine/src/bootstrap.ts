import { join } from "node:path";
import { CompiledConnectors } from "@ib/core/expressions";
import { createDb, type DbHandle, migrate } from "@ib/db";
import { ENGINE_MIGRATIONS } from "@ib/db/migrations";
import { type AppContext, WORK_CHANNEL } from "./context.ts";
import type { Env } from "./env.ts";
import { IntervalLimiter } from "./lib/interval-limiter.ts";
import { createLogger, type Logger } from "./lib/logger.ts";
import { loadMasterKey } from "./lib/master-key.ts";
import { localFirstNotifications } from "./lib/notifications.ts";
import { createEngineMetrics } from "./observability/metrics.ts";
import { SchemaCache } from "./verbs/catalog/schema-cache.ts";
import { IngestCoalescer } from "./verbs/events/ingest-coalescer.ts";
import { RoutingCache } from "./verbs/events/routing-cache.ts";
import { TokenCache } from "./verbs/tokens/token-cache.ts";
import { LocalWorkers } from "./worker/handoff.ts";
import { destinationPolicy } from "./worker/ssrf-guard.ts";
import { BrokerConnections } from "./worker/transports/broker.ts";

/** Open the database (PGlite under the data dir, or PostgreSQL), migrate it and build the context. */
export async function createContext(
  env: Env,
  options: { logger?: Logger; dbHandle?: DbHandle } = {},
): Promise<AppContext> {
  const logger = options.logger ?? createLogger(env.LOG_LEVEL, { instance: env.instanceId });
  const opened =
    options.dbHandle ??
    (await createDb(
      env.DATABASE_URL
        ? { databaseUrl: env.DATABASE_URL, poolSize: env.IB_DB_POOL_SIZE }
        : { dataDir: join(env.dataDir, "pglite") },
    ));
  const dbHandle = localFirstNotifications(opened);
  try {
    await migrate(dbHandle, { migrationsFolder: ENGINE_MIGRATIONS });
    const masterKey = loadMasterKey(env, dbHandle.driver);
    let pendingWake = false;
    return {
      env,
      db: dbHandle.db,
      dbHandle,
      logger,
      masterKey,
      instanceId: env.instanceId,
      tokens: new TokenCache(),
      metrics: createEngineMetrics({ db: dbHandle.db, logger }),
      ingest: new IngestCoalescer(),
      catalog: new SchemaCache(),
      testSends: new IntervalLimiter(1000),
      compiled: new CompiledConnectors(),
      routing: new RoutingCache(),
      workers: new LocalWorkers(),
      brokers: new BrokerConnections(destinationPolicy(env), logger),
      wakeWorkers(where = "everywhere") {
        // This process's workers at once; the others through one NOTIFY per tick for a burst of ingests.
        dbHandle.notifyHere(WORK_CHANNEL);
        if (where === "here" || pendingWake) return;
        pendingWake = true;
        setImmediate(() => {
          pendingWake = false;
          dbHandle.inner
            .notify(WORK_CHANNEL, dbHandle.remotePayload())
            .catch((error) => logger.warn({ err: error }, "could not notify workers"));
        });
      },
    };
  } catch (error) {
    await dbHandle.close();
    throw error;
  }
}
