#!/usr/bin/env node
// `npm run start:admin`: build the admin if its sources changed, then serve it (next start) on HOST
// (default 127.0.0.1) and ADMIN_PORT, else PORT (default 3000). ENGINE_URL (default
// http://127.0.0.1:8787) is where it finds the engine.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ensureAdminBuilt } from "./build.mjs";

const app = join(import.meta.dirname, "..");
const host = process.env.HOST || "127.0.0.1";
const port = process.env.ADMIN_PORT || process.env.PORT || "3000";
const engineUrl = process.env.ENGINE_URL || "http://127.0.0.1:8787";

if (!ensureAdminBuilt()) {
  console.error("[admin] build failed");
  process.exit(1);
}
const child = spawn(join(app, "node_modules", ".bin", "next"), ["start", "-p", port, "-H", host], {
  cwd: app,
  stdio: "inherit",
  env: { ...process.env, ENGINE_URL: engineUrl, NEXT_TELEMETRY_DISABLED: "1" },
});
const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
console.log(
  `\n  Admin UI   http://${shown}:${port}${shown === host ? "" : `   (listening on ${host})`}   (engine: ${engineUrl}; sign in with an engine token)\n`,
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
