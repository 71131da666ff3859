import { defineConfig } from "@playwright/test";

// Browsers cannot be downloaded here: drive Debian's Chromium (scripts/chromium.mjs finds it).
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  // Each area's fixtures start their own engine and app on free ports; one worker keeps 2 cores calm.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // One retry: a test that passes only on its retry is reported as "flaky" in the list (not hidden) and
  // should be looked at, but a browser timing hiccup on a loaded 2-core machine does not fail the build.
  retries: 1,
  reporter: [["list"]],
  outputDir: "../test-results/e2e",
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
