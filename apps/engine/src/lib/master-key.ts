import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseMasterKey } from "@ib/core";
import type { Driver } from "@ib/db";
import type { Env } from "../env.ts";

export const MASTER_KEY_FILE = "master.key";

/**
 * `IB_MASTER_KEY` when set. Otherwise a key generated once into the data dir (mode 0600) — fine for
 * the embedded database, which lives in the same dir. A production PostgreSQL deployment has many
 * processes on many machines that must share one key, so there it is required.
 */
export function loadMasterKey(env: Env, driver: Driver): Buffer {
  if (env.IB_MASTER_KEY) return parseMasterKey(env.IB_MASTER_KEY);
  if (driver === "postgres" && env.NODE_ENV === "production") {
    throw new Error(
      "IB_MASTER_KEY is required with DATABASE_URL in production: set it to 32 random bytes, base64 " +
        "(e.g. `openssl rand -base64 32`), the same on every engine process.",
    );
  }
  const file = join(env.dataDir, MASTER_KEY_FILE);
  if (existsSync(file)) return parseMasterKey(readFileSync(file, "utf8"));
  mkdirSync(env.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
