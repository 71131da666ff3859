#!/usr/bin/env node
// Build the admin once: `next build` runs only when the sources changed since the last build
// (a hash of apps/admin, packages/core and the lockfile, kept as a stamp in .next). Used by
// `npm start`, `npm run start:admin` and the end-to-end tests; `--force` always builds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { copyMonaco } from "./copy-monaco.mjs";

const app = join(import.meta.dirname, "..");
const repo = join(app, "..", "..");
const STAMP = join(app, ".next", "ib-build-stamp");
// next-env.d.ts is rewritten by `next build` itself; it is not a source.
const SKIP = new Set(["node_modules", ".next", "monaco", "test-results", "next-env.d.ts"]);

function walk(dir, files) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    if (SKIP.has(name) || name.endsWith(".tsbuildinfo")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else files.push(path);
  }
}

export function sourceHash() {
  const files = [];
  walk(app, files);
  walk(join(repo, "packages", "core", "src"), files);
  files.push(join(repo, "pnpm-lock.yaml"));
  const hash = createHash("sha256");
  for (const file of files) {
    if (!existsSync(file)) continue;
    hash.update(relative(repo, file));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

export function isBuildFresh() {
  return (
    existsSync(join(app, ".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === sourceHash()
  );
}

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
  writeFileSync(STAMP, sourceHash());
  return true;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.exit(ensureAdminBuilt({ force: process.argv.includes("--force") }) ? 0 : 1);
}
