#!/usr/bin/env node
// `npm run start:control-plane`: build the control plane if its sources changed, then serve it
// (default port 3001, env CP_PORT) with the ingest token from CP_INGEST_TOKEN or the data dir.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { ensureInstalled } from "../../../scripts/run.mjs";
import { ensureControlPlaneBuilt } from "./build.mjs";
import { controlPlaneIngestToken } from "./ingest-token.mjs";

const app = join(import.meta.dirname, "..");
const repo = join(app, "..", "..");

ensureInstalled();
if (!ensureControlPlaneBuilt()) process.exit(1);

const port = process.env.CP_PORT ?? "3001";
const dataDir = resolve(repo, process.env.CP_DATA_DIR ?? ".data/control-plane");
const { token, file } = controlPlaneIngestToken(dataDir);
const child = spawn(join(app, "node_modules", ".bin", "next"), ["start", "-p", port], {
  cwd: app,
  stdio: "inherit",
  env: { ...process.env, CP_DATA_DIR: dataDir, CP_INGEST_TOKEN: token, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

console.log(`
  Control plane  http://127.0.0.1:${port}/integration-builder
  Ingest token   ${file ? `kept in ${file}` : "from CP_INGEST_TOKEN"} (engines: IB_CONTROL_PLANE_URL=http://127.0.0.1:${port} IB_CONTROL_PLANE_TOKEN=<it>)
  Data           ${process.env.CP_DATABASE_URL ? "PostgreSQL (CP_DATABASE_URL)" : `${dataDir} (embedded PostgreSQL; set CP_DATABASE_URL to use a server)`}
`);
