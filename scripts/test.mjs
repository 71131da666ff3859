#!/usr/bin/env node
// `npm test`: unit and integration tests (vitest; PGlite always, PostgreSQL when TEST_DATABASE_URL
// is set), then the end-to-end tests in Chromium (Playwright).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensureChromium } from "./chromium.mjs";
import { bin, run } from "./run.mjs";

const repo = join(import.meta.dirname, "..");

if (process.env.TEST_DATABASE_URL) {
  console.log(`[test] databases: PGlite and PostgreSQL (${redact(process.env.TEST_DATABASE_URL)})`);
} else {
  console.log(
    "[test] databases: PGlite only — set TEST_DATABASE_URL=postgres://... to also run every integration test on PostgreSQL",
  );
}

const args = process.argv.slice(2);
const skipE2e = args.includes("--no-e2e");
const vitestArgs = args.filter((a) => a !== "--no-e2e");

const unit = await run(bin("vitest"), ["run", ...vitestArgs], { cwd: repo });
let e2e = 0;
if (hasSpecs(join(repo, "e2e")) && !skipE2e) {
  const chromium = ensureChromium();
  if (chromium) {
    e2e = await run(
      join(repo, "e2e/node_modules/.bin/playwright"),
      ["test", "--config", join(repo, "e2e/playwright.config.ts")],
      {
        cwd: repo,
        env: { ...process.env, CHROMIUM_PATH: chromium },
      },
    );
  } else {
    console.error("[test] end-to-end tests NOT run: Chromium is missing (apt-get install -y chromium)");
    e2e = 1;
  }
}
process.exit(unit || e2e);

function hasSpecs(dir) {
  if (!existsSync(dir)) return false;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory() ? hasSpecs(path) : name.endsWith(".spec.ts")) return true;
  }
  return false;
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable url)";
  }
}
