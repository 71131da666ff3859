import { hostname } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: int(8787, 0),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  IB_DATA_DIR: z.string().default(".data/engine"),
  IB_DB_POOL_SIZE: int(10, 1),
  IB_ROLE: z.enum(["api", "worker", "all"]).default("all"),
  IB_ADMIN_TOKEN: z.string().min(16).optional(),
  IB_MASTER_KEY: z.string().optional(),
  IB_MAX_BODY_BYTES: int(1024 * 1024, 1024),
  IB_MAX_EVENT_BYTES: int(1024 * 1024, 1024),
  IB_MAX_BATCH_BYTES: int(16 * 1024 * 1024, 1024),
  IB_WORKER_POLL_MS: int(1000, 10),
  IB_WORKER_CONCURRENCY: int(64, 1),
  IB_WORKER_BATCH_SIZE: int(50, 1),
  IB_LEASE_MS: int(60_000, 1000),
  IB_SHUTDOWN_GRACE_MS: int(15_000, 0),
  IB_ALLOW_PRIVATE_DESTINATIONS: bool,
  IB_DESTINATION_ALLOWLIST: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  IB_RETENTION_DAYS: int(30, 1),
  IB_RETENTION_INTERVAL_MS: int(3_600_000, 1000),
  IB_RETENTION_BATCH_SIZE: int(500, 1),
  IB_ALERT_INTERVAL_MS: int(30_000, 100),
  /** How often the reconciliation sweep marks overdue expectations MISSING (DESIGN §14). */
  IB_RECONCILIATION_INTERVAL_MS: int(5_000, 100),
  IB_RECONCILIATION_BATCH_SIZE: int(500, 1),
  /** When set, `GET /metrics` needs `Authorization: Bearer <this>`. */
  IB_METRICS_TOKEN: z.string().min(16).optional(),
  IB_CONTROL_PLANE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  IB_CONTROL_PLANE_TOKEN: z.string().optional(),
  IB_INSTANCE_ID: z.string().optional(),
  /** The name the control plane shows for this instance; default: the host name. */
  IB_INSTANCE_NAME: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  IB_REPORT_INTERVAL_MS: int(60_000, 1000),
});

export type Env = z.infer<typeof EnvSchema> & { dataDir: string; instanceId: string; instanceName: string };

/** The only place that reads `process.env`. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const dataDir = resolve(parsed.data.IB_DATA_DIR);
  return {
    ...parsed.data,
    dataDir,
    instanceId: parsed.data.IB_INSTANCE_ID ?? `${hostname()}:${dataDir}`,
    instanceName: parsed.data.IB_INSTANCE_NAME ?? hostname(),
  };
}
