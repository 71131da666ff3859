import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "../control-plane/fixtures.ts";
import { type Engine, startEngine } from "../processes.ts";

// The engine's API reference (Scalar, served by the engine itself) must work on a machine with no
// internet and must not send anything off the host: no web fonts from a CDN, no "Ask AI" agent, no
// scalar.com services, and "Test Request" straight to the engine (never through Scalar's proxy).

/** A host name that is not "local" to Scalar (it treats localhost, 127.0.0.1 and .test as local). */
const PUBLIC_NAME = "engine.ib-docs.example.org";

// The browser resolves PUBLIC_NAME to this machine: the engine as a deployment would serve it.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      `--host-resolver-rules=MAP ${PUBLIC_NAME} 127.0.0.1`,
    ],
  },
});

let engine: Engine;

test.beforeAll(async () => {
  engine = await startEngine();
});

test.afterAll(async () => {
  await engine?.stop();
});

async function checkDocs(page: Page, origin: string, testInfo: TestInfo, name: string) {
  const offHost: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith("http") && url.origin !== origin) offHost.push(request.url());
  });
  // Anything that does try to leave is refused here, so the test never depends on the network.
  await page.route(
    (url) => url.origin !== origin && url.protocol.startsWith("http"),
    (route) => route.abort(),
  );
  await page.goto(`${origin}/docs`);
  await expect(page.getByText("Integration Builder engine").first()).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

  await expect(page.getByRole("button", { name: /ask ai/i })).toHaveCount(0);
  await expect(page.getByText(/ask ai/i)).toHaveCount(0);
  await expect(page.getByText(/generate mcp|open api client|developer tools/i)).toHaveCount(0);

  // "Test Request" sends to the engine itself.
  const sent = page.waitForRequest((r) => r.url() === `${origin}/healthz`);
  await page
    .getByRole("button", { name: /test request/i })
    .first()
    .click();
  await page.getByRole("button", { name: /^send/i }).first().click();
  await sent;
  await expect(page.getByText('"status": "ok"').first()).toBeVisible();
  expect(offHost).toEqual([]);
}

test("[ENGINE] /docs on 127.0.0.1 loads everything from the engine and offers no Ask AI", async ({
  page,
}, testInfo) => {
  await checkDocs(page, engine.url, testInfo, "engine-docs");
});

test("[ENGINE] /docs served under a public name calls nothing but the engine", async ({ page }, testInfo) => {
  await checkDocs(page, `http://${PUBLIC_NAME}:${engine.port}`, testInfo, "engine-docs-public-name");
});
