import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { acquireDirLock } from "./dir-lock.ts";
import { initPgliteDataDir } from "./pglite-init.ts";
import { startPgliteMaintenance } from "./pglite-maintenance.ts";
import { installPreparedStatements } from "./pglite-statements.ts";
import { prepareMarkedStatements } from "./postgres-prepared.ts";
import * as schema from "./schema/index.ts";

export { DatabaseLockedError } from "./dir-lock.ts";

export type Schema = typeof schema;
/** One typed database, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Database | Transaction;

export type Driver = "pglite" | "postgres";

export interface DbHandle {
  db: Database;
  driver: Driver;
  /** The connection string (postgres) or the PGlite data dir (undefined: in memory). */
  location: string | undefined;
  /** Subscribe to a notification channel; resolves to an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload?: string): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** `postgres://...`: use PostgreSQL through postgres.js. */
  databaseUrl?: string;
  /** PGlite data directory; omit for an in-memory database (tests). */
  dataDir?: string;
  /** postgres.js pool size. */
  poolSize?: number;
  /** PGlite: how long to wait for a process still holding the data dir to exit (default 5 s). */
  lockWaitMs?: number;
  /** PGlite: PostgreSQL's `shared_buffers`, in MB (default 32; see PGLITE_SHARED_BUFFERS_MB). */
  sharedBuffersMb?: number;
}

/**
 * PGlite keeps PostgreSQL's buffer cache inside its WebAssembly heap, which never shrinks: at PostgreSQL's
 * default of 128 MB the cache alone filled ~90 MB of the engine's RSS within a benchmark run (peak 411-438 MB,
 * against 319-343 MB at 32 MB, with the same deliveries/s and CPU per delivery). Pages beyond it are read
 * from the operating system's cache. The heap cannot start below the WASM module's own minimum of 128 MB
 * (PGlite's `initialMemory` only raises it).
 */
const PGLITE_SHARED_BUFFERS_MB = 32;

/** Rows of a raw query, whichever driver ran it. */
export async function execute<T = Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export async function createDb(options: CreateDbOptions = {}): Promise<DbHandle> {
  return options.databaseUrl
    ? createPostgres(options.databaseUrl, options.poolSize ?? 10)
    : createPglite(options.dataDir, options.lockWaitMs, options.sharedBuffersMb ?? PGLITE_SHARED_BUFFERS_MB);
}

function createPostgres(url: string, poolSize: number): DbHandle {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // A dropped connection is replaced on the next query; idle ones are recycled.
    idle_timeout: 30,
    connect_timeout: 10,
  });
  prepareMarkedStatements(client);
  const db = drizzlePostgres({ client, schema }) as unknown as Database;
  return {
    db,
    driver: "postgres",
    location: url,
    async listen(channel, onMessage) {
      const sub = await client.listen(channel, (payload) => onMessage(payload));
      return () => sub.unlisten();
    },
    async notify(channel, payload = "") {
      await client.notify(channel, payload);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function createPglite(
  dataDir: string | undefined,
  lockWaitMs: number | undefined,
  sharedBuffersMb: number,
): Promise<DbHandle> {
  const releaseLock = dataDir ? await acquireDirLock(dataDir, { waitMs: lockWaitMs }) : () => {};
  let client: PGlite;
  try {
    if (dataDir) {
      mkdirSync(dirname(dataDir), { recursive: true });
      if (!(await initPgliteDataDir(dataDir))) mkdirSync(dataDir, { recursive: true });
    }
    const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffersMb}MB`];
    client = await PGlite.create(dataDir ? { dataDir, startParams } : { startParams });
  } catch (error) {
    releaseLock();
    throw error;
  }
  installPreparedStatements(client);
  // Single-user PostgreSQL has no autovacuum: the handle does its work (pglite-maintenance.ts).
  const stopMaintenance = startPgliteMaintenance(client);
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  // PGlite is one process: notifications are an in-process signal.
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let closed = false;
  return {
    db,
    driver: "pglite",
    location: dataDir,
    async listen(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
      };
    },
    async notify(channel, payload = "") {
      for (const fn of listeners.get(channel) ?? []) queueMicrotask(() => fn(payload));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await stopMaintenance();
        await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}
