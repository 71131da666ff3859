import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type Driver } from "@ib/db/testing";
import type { Role } from "../src/auth/permissions.ts";
import { createContext } from "../src/bootstrap.ts";
import { systemContext } from "../src/context.ts";
import { loadEnv } from "../src/env.ts";
import { createLogger } from "../src/lib/logger.ts";
import { buildApp } from "../src/routes/index.ts";
import { createToken } from "../src/verbs/tokens/create-token.ts";

export { testDrivers } from "@ib/db/testing";
export { waitFor } from "@ib/testing";

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

/**
 * The real engine app in-process on a fresh database (PGlite in memory or a throwaway PostgreSQL
 * database), with one token per role. `api()` sends a request through `app.request`.
 */
export async function startTestEngine(driver: Driver, envOverrides: Record<string, string> = {}) {
  const database = await createTestDatabase(driver);
  const dataDir = mkdtempSync(join(tmpdir(), "ib-test-"));
  const env = loadEnv({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    IB_DATA_DIR: dataDir,
    IB_MASTER_KEY: randomBytes(32).toString("base64"),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...envOverrides,
  });
  const ctx = await createContext(env, { logger: createLogger(env.LOG_LEVEL), dbHandle: database.handle });
  const app = buildApp(ctx);

  const tokens = {} as Record<Role, string>;
  for (const role of ["admin", "viewer", "ingest", "support", "finance"] as const) {
    const { value } = await createToken({ ctx: systemContext(ctx), input: { name: `test ${role}`, role } });
    tokens[role] = value;
  }

  async function api(method: string, path: string, options: RequestOptions = {}) {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? tokens.admin : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  return {
    driver,
    ctx,
    app,
    tokens,
    api,
    async close() {
      await ctx.brokers.close();
      await database.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;

/** Asserts a response is the error envelope with the given status. */
export function expectEnvelope(res: { status: number; json: any }, status: number, code?: string) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`);
  const err = res.json?.error;
  if (!err || typeof err.message !== "string" || typeof err.requestId !== "string" || typeof err.code !== "string") {
    throw new Error(`not an error envelope: ${JSON.stringify(res.json)}`);
  }
  if (code && err.code !== code) throw new Error(`expected code ${code}, got ${err.code}`);
  if (/\bat .*\(.*:\d+:\d+\)/.test(JSON.stringify(res.json))) throw new Error("stack trace in response");
}
