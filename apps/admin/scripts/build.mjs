#!/usr/bin/env node
// Build the admin once: `next build` runs only when the sources changed since the last build
// (a hash of apps/admin, packages/core, packages/providers and the lockfile, kept as a stamp in .next). Used by
// `npm start`, `npm run start:admin` and the end-to-end tests; `--force` always builds.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { nextBuildStamp } from "../../../scripts/next-build-stamp.mjs";
import { copyMonaco } from "./copy-monaco.mjs";

const app = join(import.meta.dirname, "..");
// next-env.d.ts is rewritten by `next build` itself; it is not a source.
const stamp = nextBuildStamp({
  app,
  packages: ["core", "providers"],
  skip: ["node_modules", ".next", "monaco", "test-results", "next-env.d.ts"],
});
export const { sourceHash, isBuildFresh } = stamp;

/** Build when stale (or when forced). Returns true on success. */
export function ensureAdminBuilt({ force = false, log = console.log } = {}) {
  copyMonaco();
  if (!force && isBuildFresh()) return true;
  log("[admin] building the admin UI (next build; once, until its sources change) ...");
  const result = spawnSync(join(app, "node_modules", ".bin", "next"), ["build"], {
    cwd: app,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) return false;
  stamp.writeStamp();
  return true;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.exit(ensureAdminBuilt({ force: process.argv.includes("--force") }) ? 0 : 1);
}
