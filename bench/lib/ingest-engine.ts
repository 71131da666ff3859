// The engine as the benchmarks start it: its own process on a fresh database (a throwaway PostgreSQL
// database, or PGlite in a temporary data dir), an admin token, and a way to call its API.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDatabase } from "./database.ts";
import { type EngineProcess, startEngine } from "./engine-process.ts";
import type { IngestTarget } from "./load.ts";

export type Driver = "postgres" | "pglite";

export interface IngestEngine {
  driver: Driver;
  engine: EngineProcess;
  target: IngestTarget;
  /** Any route, JSON in and out, whatever the status. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** An admin route (`/admin/integration-builder` + `path`); throws unless it answers one of `expect`. */
  admin<T>(method: string, path: string, body?: unknown, expect?: number[]): Promise<T>;
  /** Stop the engine, drop its database, remove its data dir. */
  stop(): Promise<void>;
}

export async function startIngestEngine(options: {
  driver: Driver;
  databaseUrl?: string;
  /** `all` (default), `api` (ingest only: no worker competes for the CPU) or `worker`. */
  role?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<IngestEngine> {
  const token = `ib_bench_${randomBytes(16).toString("hex")}`;
  const dataDir = mkdtempSync(join(tmpdir(), "ib-bench-"));
  const db =
    options.driver === "postgres"
      ? await freshDatabase(options.databaseUrl as string, "ib_bench").catch((error) => {
          rmSync(dataDir, { recursive: true, force: true });
          throw error;
        })
      : undefined;
  const cleanUp = async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let engine: EngineProcess;
  try {
    engine = await startEngine(
      {
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        IB_DATA_DIR: dataDir,
        IB_ADMIN_TOKEN: token,
        IB_MASTER_KEY: randomBytes(32).toString("base64"),
        IB_ALLOW_PRIVATE_DESTINATIONS: "1",
        ...(db ? { DATABASE_URL: db.url } : {}),
        ...options.env,
      },
      { role: options.role ?? "all", nodeArgs: options.nodeArgs },
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${engine.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON (an error page, /metrics): keep the text.
    }
    return { status: res.status, json };
  };
  return {
    driver: options.driver,
    engine,
    target: { baseUrl: engine.baseUrl, token },
    request,
    async admin<T>(method: string, path: string, body?: unknown, expect = [200, 201]) {
      const { status, json } = await request(method, `/admin/integration-builder${path}`, body);
      if (!expect.includes(status))
        throw new Error(`${method} ${path} answered ${status}: ${JSON.stringify(json).slice(0, 500)}`);
      return json as T;
    },
    async stop() {
      try {
        await engine.stop();
      } finally {
        await cleanUp();
      }
    },
  };
}
