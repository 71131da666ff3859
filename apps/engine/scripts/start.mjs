#!/usr/bin/env node
// Run the engine in this process: `node apps/engine/scripts/start.mjs [--role api|worker|all]` (also
// `pnpm --filter @ib/engine start`). It loads the prebuilt engine (rebuilt first if a source changed; see
// build.mjs) with source maps on, or the sources through tsx when it cannot be built. One process, so
// signals and /proc statistics reach the engine itself (no wrapper to forward them).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureEngineBuilt } from "./build.mjs";

const built = await ensureEngineBuilt();
if (built.entry) {
  // Stack traces name the TypeScript sources (what --enable-source-maps does for modules loaded from here on).
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(built.entry).href);
} else {
  console.error(`[engine] running from the sources with tsx: ${built.reason}`);
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(import.meta.dirname, "..", "src", "main.ts")).href);
}
