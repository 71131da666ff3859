import { resolve } from "node:path";
import { z } from "zod";

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Engines send it in `x-cp-ingest-token`; required in production. */
  CP_INGEST_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  /** Viewing the dashboard requires signing in with it; without it nobody can (unless CP_PUBLIC_DASHBOARD=1). */
  CP_VIEWER_TOKEN: optionalString.pipe(z.string().min(8, "must be at least 8 characters").optional()),
  /** "1": the dashboard is readable by anyone who can reach it, without signing in. */
  CP_PUBLIC_DASHBOARD: z
    .enum(["", "0", "1"], { message: 'must be "1" or "0"' })
    .default("0")
    .transform((v) => v === "1"),
  /** The admin's public URL (e.g. https://admin.example.com): connector rows link to their page there. */
  CP_ADMIN_URL: optionalString.pipe(z.string().url("must be a URL, e.g. http://127.0.0.1:3000").optional()),
  CP_DATABASE_URL: optionalString.pipe(z.string().url().optional()),
  CP_DATA_DIR: z.string().default(".data/control-plane"),
  CP_MAX_REPORT_BYTES: int(256 * 1024, 1024),
  CP_RETENTION_DAYS: int(30, 1),
  /** An instance is stale after this long without a report; default: 3 of its own report intervals. */
  CP_STALE_AFTER_MS: z.coerce.number().int().min(1000).optional(),
  /** The interval assumed for reports that do not say theirs. */
  CP_DEFAULT_REPORT_INTERVAL_MS: int(60_000, 1000),
});

export type ControlPlaneEnv = z.infer<typeof EnvSchema> & { dataDir: string };

/** The only place in the control plane that reads `process.env`. */
export function loadEnv(source: Record<string, string | undefined> = process.env): ControlPlaneEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid control-plane environment:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.CP_DATA_DIR) };
}

let cached: ControlPlaneEnv | undefined;
export function env(): ControlPlaneEnv {
  cached ??= loadEnv();
  return cached;
}
