#!/usr/bin/env node
// Build the control plane once: `next build` runs only when its sources changed since the last
// build (a hash of apps/control-plane, the workspace packages it compiles in and the lockfile, kept
// as a stamp in .next). Used by `npm start`, `npm run start:control-plane` and the end-to-end
// tests; `--force` always builds.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { nextBuildStamp } from "../../../scripts/next-build-stamp.mjs";

const app = join(import.meta.dirname, "..");
const stamp = nextBuildStamp({
  app,
  packages: ["core", "db"],
  skip: ["node_modules", ".next", ".data", "test", "test-results", "next-env.d.ts"],
});
export const { sourceHash, isBuildFresh } = stamp;

/** Build when stale (or when forced). Returns true on success. */
export function ensureControlPlaneBuilt({ force = false, log = console.log, quiet = false } = {}) {
  if (!force && isBuildFresh()) return true;
  log("[control-plane] building the control plane (next build; once, until its sources change) ...");
  const hash = sourceHash();
  const result = spawnSync(join(app, "node_modules", ".bin", "next"), ["build"], {
    cwd: app,
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    if (quiet) log(`${result.stdout ?? ""}\n${result.stderr ?? ""}`);
    return false;
  }
  stamp.writeStamp(hash);
  return true;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.exit(ensureControlPlaneBuilt({ force: process.argv.includes("--force") }) ? 0 : 1);
}
