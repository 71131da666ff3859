#!/usr/bin/env node
// `npm run start:admin`: build the admin if its sources changed, then serve it (next start).
// ENGINE_URL (default http://127.0.0.1:8787) is where it finds the engine; ADMIN_PORT (default 3000).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ensureAdminBuilt } from "./build.mjs";

const app = join(import.meta.dirname, "..");
const port = process.env.ADMIN_PORT ?? "3000";
const engineUrl = process.env.ENGINE_URL ?? "http://127.0.0.1:8787";

if (!ensureAdminBuilt()) {
  console.error("[admin] build failed");
  process.exit(1);
}
const child = spawn(join(app, "node_modules", ".bin", "next"), ["start", "-p", port], {
  cwd: app,
  stdio: "inherit",
  env: { ...process.env, ENGINE_URL: engineUrl, NEXT_TELEMETRY_DISABLED: "1" },
});
console.log(`\n  Admin UI   http://127.0.0.1:${port}   (engine: ${engineUrl}; sign in with an engine token)\n`);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
