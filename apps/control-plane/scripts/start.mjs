#!/usr/bin/env node
// `npm run start:control-plane`: build the control plane if its sources changed, then serve it on
// HOST (default 127.0.0.1) and CP_PORT, else PORT (default 3001), with the ingest and viewer tokens
// from the environment or the data dir.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { ensureInstalled } from "../../../scripts/run.mjs";
import { ensureControlPlaneBuilt } from "./build.mjs";
import { connectHost, controlPlaneIngestToken, controlPlaneViewerToken } from "./tokens.mjs";

const app = join(import.meta.dirname, "..");
const repo = join(app, "..", "..");

ensureInstalled();
if (!ensureControlPlaneBuilt()) process.exit(1);

const host = process.env.HOST || "127.0.0.1";
const port = process.env.CP_PORT || process.env.PORT || "3001";
const dataDir = resolve(repo, process.env.CP_DATA_DIR || ".data/control-plane");
const ingest = controlPlaneIngestToken(dataDir);
const viewer = controlPlaneViewerToken(dataDir);
const child = spawn(join(app, "node_modules", ".bin", "next"), ["start", "-p", port, "-H", host], {
  cwd: app,
  stdio: "inherit",
  env: {
    ...process.env,
    CP_DATA_DIR: dataDir,
    CP_INGEST_TOKEN: ingest.token,
    ...(viewer.token ? { CP_VIEWER_TOKEN: viewer.token } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

const url = `http://${connectHost(host)}:${port}`;
console.log(`
  Control plane  ${url}/integration-builder${connectHost(host) === host ? "" : `   (listening on ${host})`}
  Viewer token   ${viewer.public ? "none: CP_PUBLIC_DASHBOARD=1, anyone who reaches it can read the dashboard" : viewer.file ? `kept in ${viewer.file} (sign in with it; set CP_VIEWER_TOKEN to choose your own)` : "from CP_VIEWER_TOKEN"}
  Ingest token   ${ingest.file ? `kept in ${ingest.file}` : "from CP_INGEST_TOKEN"} (engines: IB_CONTROL_PLANE_URL=${url} IB_CONTROL_PLANE_TOKEN=<it>)
  Data           ${process.env.CP_DATABASE_URL ? "PostgreSQL (CP_DATABASE_URL)" : `${dataDir} (embedded PostgreSQL; set CP_DATABASE_URL to use a server)`}
`);
