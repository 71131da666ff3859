import type { CompiledConnectors } from "@ib/core/expressions";
import type { Database, Executor } from "@ib/db";
import type { Role } from "./auth/permissions.ts";
import type { Env } from "./env.ts";
import type { IntervalLimiter } from "./lib/interval-limiter.ts";
import type { Logger } from "./lib/logger.ts";
import type { LocalFirstHandle } from "./lib/notifications.ts";
import type { EngineMetrics } from "./observability/metrics.ts";
import type { SchemaCache } from "./verbs/catalog/schema-cache.ts";
import type { IngestCoalescer } from "./verbs/events/ingest-coalescer.ts";
import type { RoutingCache } from "./verbs/events/routing-cache.ts";
import type { TokenCache } from "./verbs/tokens/token-cache.ts";
import type { LocalWorkers } from "./worker/handoff.ts";
import type { BrokerConnections } from "./worker/transports/broker.ts";

/** Everything a verb or a route needs, built once per process and passed down (no singletons). */
export interface AppContext {
  env: Env;
  db: Database;
  /** Notifications reach this process's listeners at once and the others' through NOTIFY (lib/notifications.ts). */
  dbHandle: LocalFirstHandle;
  logger: Logger;
  /** AES-256-GCM key for connector and source secrets. */
  masterKey: Buffer;
  instanceId: string;
  /** Recent token checks (owned by this context, not by a module). */
  tokens: TokenCache;
  /** Prometheus counters, histograms and gauges of this engine (`GET /metrics`). */
  metrics: EngineMetrics;
  /** Single-event ingests waiting to share the next transaction (group commit). */
  ingest: IngestCoalescer;
  /** The event catalog's index and compiled schemas (invalidated on change, across processes by NOTIFY). */
  catalog: SchemaCache;
  /** One test send per connector per second (`POST …/connectors/:id/test`). */
  testSends: IntervalLimiter;
  /** Connectors' expressions and filters, compiled once per connector version (ingest, worker, preview). */
  compiled: CompiledConnectors;
  /** AMQP and NATS connections of broker destinations, one per broker URL (closed on shutdown). */
  brokers: BrokerConnections;
  /** Ingest routing (event name → connectors), checked against `routing_version` by every write. */
  routing: RoutingCache;
  /** This process's delivery workers: ingest hands new deliveries straight to one with free slots. */
  workers: LocalWorkers;
  /**
   * Tell workers that new work is due: this process's at once and, on PostgreSQL, every other process's
   * (`"here"`: only this one's, when the statement that wrote the work sent the NOTIFY itself).
   */
  wakeWorkers(where?: "here" | "everywhere"): void;
}

/** Who did something: a token, or the engine itself. */
export interface Actor {
  tokenId: string;
  role: Role | "system";
  name: string;
}

export const SYSTEM_ACTOR: Actor = { tokenId: "system", role: "system", name: "engine" };

/**
 * What one verb runs with: `verbNoun({ ctx, input })`. `db` is the database or a transaction the caller
 * already opened (drizzle nests a second `transaction()` as a savepoint), `actor` who asked, `requestId`
 * and `log` for correlation, and `app` the process-owned dependencies (key, env, caches, wake-up).
 */
export interface ServiceContext {
  app: AppContext;
  db: Executor;
  actor: Actor;
  requestId: string | null;
  log: Logger;
}

/** A context for work the engine does on its own (background services, bootstrap, tests). */
export function systemContext(app: AppContext, requestId: string | null = null): ServiceContext {
  return requestContext(app, SYSTEM_ACTOR, requestId);
}

/**
 * A context for `actor`'s request: its logger (a child carrying the request id) is made when first used —
 * most requests log nothing, and a child logger per request was a measurable part of a small ingest.
 */
export function requestContext(app: AppContext, actor: Actor, requestId: string | null): ServiceContext {
  if (!requestId) return { app, db: app.db, actor, requestId, log: app.logger };
  let log: Logger | undefined;
  return {
    app,
    db: app.db,
    actor,
    requestId,
    get log() {
      log ??= app.logger.child({ requestId });
      return log;
    },
  };
}

/** Run `fn` in one transaction; the verbs it calls get the same context with `db` = the transaction. */
export function withTransaction<T>(ctx: ServiceContext, fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction((tx) => fn({ ...ctx, db: tx }));
}

/** Hono's typed variables, available as `c.var.*` in every route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    ctx: AppContext;
    actor: Actor | undefined;
  };
}

export const WORK_CHANNEL = "ib_work";
/** Verified inbound webhooks waiting to become events (its own channel: ingest must not wake that service). */
export const INBOUND_CHANNEL = "ib_inbound";
