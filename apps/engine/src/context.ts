import type { Database, DbHandle } from "@ib/db";
import type { Role } from "./auth/permissions.ts";
import type { Env } from "./env.ts";
import type { Logger } from "./lib/logger.ts";
import type { TokenCache } from "./verbs/tokens/token-cache.ts";

/** Everything a verb or a route needs, built once per process and passed down (no singletons). */
export interface AppContext {
  env: Env;
  db: Database;
  dbHandle: DbHandle;
  logger: Logger;
  /** AES-256-GCM key for connector and source secrets. */
  masterKey: Buffer;
  instanceId: string;
  /** Recent token checks (owned by this context, not by a module). */
  tokens: TokenCache;
  /** Tell workers (in this process or, on PostgreSQL, in any process) that new work is due. */
  wakeWorkers(): void;
}

/** Who did something: a token, or the engine itself. */
export interface Actor {
  tokenId: string;
  role: Role | "system";
  name: string;
}

export const SYSTEM_ACTOR: Actor = { tokenId: "system", role: "system", name: "engine" };

/** Hono's typed variables, available as `c.var.*` in every route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    ctx: AppContext;
    actor: Actor | undefined;
  };
}

export const WORK_CHANNEL = "ib_work";
