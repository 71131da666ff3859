#!/usr/bin/env node
// `npm start`: the engine (PORT, default 8787) on the embedded database, the admin (ADMIN_PORT, 3000)
// and the control plane (CP_PORT, 3001), in one terminal, all listening on HOST (default 127.0.0.1).
// Ctrl-C stops them all.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const repo = join(import.meta.dirname, "..");
const dataDir = resolve(repo, process.env.IB_DATA_DIR ?? ".data/engine");
const enginePort = process.env.PORT || "8787";
const host = process.env.HOST || "127.0.0.1";
const children = [];

function launch(name, command, args, env = {}) {
  const child = spawn(command, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${name}] `;
  const pipe = (stream, out) => {
    let buffer = "";
    stream.on("data", (chunk) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) out.write(`${prefix + line}\n`);
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on("exit", (code) => {
    console.log(`${prefix}exited with ${code}`);
    if (!stopping) stop(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once("exit", r))))).then(() =>
    process.exit(code),
  );
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

// Admin UI: built once (skipped while apps/admin is unchanged), served on ADMIN_PORT (default 3000).
const { ensureAdminBuilt } = await import("../apps/admin/scripts/build.mjs");
const adminPort = process.env.ADMIN_PORT || "3000";
if (!ensureAdminBuilt()) {
  console.error("[admin] build failed");
  process.exit(1);
}

// Control plane: built once (skipped while apps/control-plane is unchanged), served on CP_PORT (default
// 3001) with an ingest token and a viewer token generated on first start (kept 0600 in its data dir);
// the engine reports to it.
const { ensureControlPlaneBuilt } = await import("../apps/control-plane/scripts/build.mjs");
const { connectHost, controlPlaneIngestToken, controlPlaneViewerToken } = await import(
  "../apps/control-plane/scripts/tokens.mjs"
);
const cpPort = process.env.CP_PORT || "3001";
const cpDataDir = resolve(repo, process.env.CP_DATA_DIR || ".data/control-plane");
if (!ensureControlPlaneBuilt()) {
  console.error("[control-plane] build failed");
  process.exit(1);
}
const cpIngest = controlPlaneIngestToken(cpDataDir);
const cpViewer = controlPlaneViewerToken(cpDataDir);
const reach = connectHost(host);
const cpUrl = `http://${reach}:${cpPort}`;
const engineUrl = `http://${reach}:${enginePort}`;
const adminUrl = `http://${reach}:${adminPort}`;
const reportToControlPlane = {
  IB_CONTROL_PLANE_URL: process.env.IB_CONTROL_PLANE_URL ?? cpUrl,
  IB_CONTROL_PLANE_TOKEN: process.env.IB_CONTROL_PLANE_TOKEN ?? cpIngest.token,
};

// Engine: prebuilt into apps/engine/dist (rebuilt when a source changed; ~90 MB less memory and a faster
// start than transpiling with tsx at run time), from the sources with tsx if it cannot be built.
const { engineCommand } = await import("../apps/engine/scripts/build.mjs");
const engine = await engineCommand({ log: (line) => console.log(line) });
launch("engine", engine.command, engine.args, {
  PORT: enginePort,
  HOST: host,
  ...reportToControlPlane,
});
launch(
  "admin",
  join(repo, "apps/admin/node_modules/.bin/next"),
  ["start", join(repo, "apps/admin"), "-p", adminPort, "-H", host],
  { ENGINE_URL: engineUrl, NEXT_TELEMETRY_DISABLED: "1" },
);

launch(
  "control-plane",
  join(repo, "apps/control-plane/node_modules/.bin/next"),
  ["start", join(repo, "apps/control-plane"), "-p", cpPort, "-H", host],
  {
    CP_DATA_DIR: cpDataDir,
    CP_INGEST_TOKEN: cpIngest.token,
    ...(cpViewer.token ? { CP_VIEWER_TOKEN: cpViewer.token } : {}),
    // Connector rows link to the admin started beside it.
    CP_ADMIN_URL: process.env.CP_ADMIN_URL ?? adminUrl,
    NEXT_TELEMETRY_DISABLED: "1",
  },
);

const deadline = Date.now() + 60_000;
while (Date.now() < deadline) {
  try {
    if ((await fetch(`${engineUrl}/healthz`)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 250));
}
const tokenFile = join(dataDir, "admin-token");
const token =
  process.env.IB_ADMIN_TOKEN ??
  (existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : "(see IB_ADMIN_TOKEN)");
console.log(`
  Integration Builder is running${reach === host ? "" : ` (listening on ${host})`}
  Engine API     ${engineUrl}        (API reference: ${engineUrl}/docs)
  Admin UI       ${adminUrl}        (sign in with the admin token below)
  Control plane  ${cpUrl}/integration-builder   (fleet dashboard; the engine reports to it every IB_REPORT_INTERVAL_MS)
                 (ingest token ${cpIngest.file ? `kept in ${cpIngest.file}` : "from CP_INGEST_TOKEN"})
  Viewer token   ${cpViewer.public ? "none: CP_PUBLIC_DASHBOARD=1, the dashboard is readable by anyone who reaches it" : cpViewer.file ? `kept in ${cpViewer.file}` : "from CP_VIEWER_TOKEN"}
                 (signs you in to the control plane's dashboard)
  Admin token    ${token}
                 (kept in ${tokenFile}; set IB_ADMIN_TOKEN to choose your own)
  Data           ${dataDir} (embedded PostgreSQL; set DATABASE_URL to use a PostgreSQL server)
`);
