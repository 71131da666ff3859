// The tokens `npm start` and `npm run start:control-plane` give the control plane: from the environment
// when set, else generated on first start and kept (mode 0600) in the control plane's data dir.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function storedToken(dataDir, name, prefix, minLength) {
  const file = join(dataDir, name);
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= minLength) {
      chmodSync(file, 0o600);
      return { token: stored, file };
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const token = `${prefix}${randomBytes(32).toString("base64url")}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file };
}

/** The ingest token engines report with: CP_INGEST_TOKEN, else `<dataDir>/ingest-token`. */
export function controlPlaneIngestToken(dataDir, fromEnv = process.env.CP_INGEST_TOKEN) {
  if (fromEnv) return { token: fromEnv, file: undefined };
  return storedToken(dataDir, "ingest-token", "cpi_", 16);
}

/**
 * The token that signs a browser in to the dashboard: CP_VIEWER_TOKEN, else `<dataDir>/viewer-token`;
 * none when CP_PUBLIC_DASHBOARD=1 (the dashboard is then readable by anyone who can reach it).
 */
export function controlPlaneViewerToken(dataDir, env = process.env) {
  if (env.CP_PUBLIC_DASHBOARD === "1") return { token: undefined, file: undefined, public: true };
  if (env.CP_VIEWER_TOKEN) return { token: env.CP_VIEWER_TOKEN, file: undefined, public: false };
  return { ...storedToken(dataDir, "viewer-token", "cpv_", 8), public: false };
}

/** Where a server bound to `host` is reached from this machine ("0.0.0.0" and "::" by loopback). */
export function connectHost(host) {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
