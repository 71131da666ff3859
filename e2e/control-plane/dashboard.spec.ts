import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, startEngine, startProcess } from "../processes.ts";
import { expect, freePort, startControlPlane, test } from "./fixtures.ts";

/** The start of the hour `hoursAgo` hours before now, as the engine labels its hourly counts. */
const hourStart = (hoursAgo: number) =>
  new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - hoursAgo * 3600_000).toISOString();

const connectors = (prefix: string, list: [string, boolean, number, number, number, number?][]) =>
  list.map(([name, enabled, success24h, failure24h, dlqOpen, failedAttempts24h], i) => ({
    id: `con_${prefix}_${i}`,
    name,
    enabled,
    success24h,
    failure24h,
    ...(failedAttempts24h === undefined ? {} : { failedAttempts24h }),
    dlqOpen,
  }));

test("[CONTROL-PLANE] two instances report and the dashboard shows both with the right totals", async ({
  controlPlane,
  page,
}, testInfo) => {
  // The ingest route is guarded: no token or a wrong one is a 401 envelope, and nothing is stored.
  const missing = await controlPlane.report(
    { instanceId: "intruder", connectorsActive: 1, connectorsTotal: 1, success24h: 1, failure24h: 0, dlqOpen: 0 },
    { "x-cp-ingest-token": "" },
  );
  expect(missing.status).toBe(401);
  expect((await missing.json()).error.code).toBe("UNAUTHORIZED");
  const wrong = await controlPlane.report(
    { instanceId: "intruder", connectorsActive: 1, connectorsTotal: 1, success24h: 1, failure24h: 0, dlqOpen: 0 },
    { "x-cp-ingest-token": "cpi_wrong_token_000000000" },
  );
  expect(wrong.status).toBe(401);
  const malformed = await controlPlane.report({ instanceId: "eu-central-1", success24h: -3 });
  expect(malformed.status).toBe(422);

  // An older report of eu-central-1 is superseded by its latest one.
  for (const body of [
    {
      instanceId: "eu-central-1",
      connectorsActive: 1,
      connectorsTotal: 1,
      success24h: 10,
      failure24h: 90,
      dlqOpen: 50,
    },
    {
      instanceId: "eu-central-1",
      connectorsActive: 3,
      connectorsTotal: 4,
      success24h: 18_250,
      failure24h: 312,
      failedAttempts24h: 1_450,
      dlqOpen: 4,
      reportIntervalMs: 60_000,
      hourly: [
        { hour: hourStart(0), success: 700, failure: 12, failedAttempts: 60 },
        { hour: hourStart(1), success: 1_300, failure: 40, failedAttempts: 210 },
        { hour: hourStart(6), success: 900, failure: 3, failedAttempts: 9 },
      ],
      connectors: connectors("eu", [
        ["Orders to ERP", true, 12_000, 300, 4, 1_380],
        ["Payment receipts by email", true, 6_000, 12, 0, 70],
        ["Warehouse stock sync", true, 250, 0, 0, 0],
        ["Legacy CRM export", false, 0, 0, 0, 0],
      ]),
    },
    {
      // An engine from before failedAttempts24h: it still reports, and shows "—" for them.
      instanceId: "us-east-2",
      connectorsActive: 6,
      connectorsTotal: 6,
      success24h: 9_750,
      failure24h: 88,
      dlqOpen: 1,
      reportIntervalMs: 60_000,
      hourly: [
        { hour: hourStart(0), success: 300, failure: 8 },
        { hour: hourStart(12), success: 450, failure: 30 },
      ],
      connectors: connectors("us", [
        ["Shipments to carrier", true, 5_200, 60, 1],
        ["SMS on payment", true, 3_100, 20, 0],
        ["Slack alerts", true, 900, 8, 0],
        ["Invoices to accounting", true, 500, 0, 0],
        ["Maps geocoding", true, 50, 0, 0],
        ["Storage archive", true, 0, 0, 0],
      ]),
    },
  ]) {
    const res = await controlPlane.report(body);
    expect(res.status, await res.clone().text()).toBe(201);
  }

  const browserErrors: string[] = [];
  page.on("pageerror", (error) => browserErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") browserErrors.push(message.text());
  });
  await page.goto(`${controlPlane.url}/integration-builder`);
  const rows = page.getByTestId("instance-row");
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-instance="eu-central-1"]')).toBeVisible();
  await expect(page.locator('[data-instance="us-east-2"]')).toBeVisible();
  await expect(page.getByTestId("stale-badge")).toHaveCount(0);

  await expect(page.getByTestId("total-instances-value")).toHaveText("2");
  await expect(page.getByTestId("total-connectors-value")).toHaveText("9 / 10");
  await expect(page.getByTestId("total-success-value")).toHaveText("28,000");
  await expect(page.getByTestId("total-failure-value")).toHaveText("400");
  await expect(page.getByTestId("total-failure-rate")).toHaveText("1.4%");
  await expect(page.getByTestId("total-failed-attempts-value")).toHaveText("1,450");
  await expect(page.locator('[data-instance="eu-central-1"]').getByTestId("instance-failed-attempts")).toHaveText(
    "1,450",
  );
  await expect(page.locator('[data-instance="us-east-2"]').getByTestId("instance-failed-attempts")).toHaveText("—");
  await expect(page.getByTestId("total-dlq-value")).toHaveText("5");

  // The chart sums the instances' hour-by-hour counts.
  await expect(page.getByTestId("chart-caption")).toContainText("in each hour");
  const bars = async (kind: string) =>
    await page.getByTestId(`bar-${kind}`).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-value"))));
  expect(await bars("success")).toHaveLength(24);
  expect((await bars("success")).at(-1)).toBe(1_000);
  expect((await bars("success")).reduce((a, b) => a + b, 0)).toBe(3_650);
  expect((await bars("failure")).reduce((a, b) => a + b, 0)).toBe(93);
  expect((await bars("failed-attempts")).reduce((a, b) => a + b, 0)).toBe(279);

  // Per-connector breakdown of the selected instance; selecting another switches it.
  await page.locator('[data-instance="eu-central-1"]').click();
  const breakdown = page.getByTestId("connector-breakdown");
  await expect(breakdown).toContainText("eu-central-1");
  await expect(breakdown.getByTestId("connector-row")).toHaveCount(4);
  await expect(breakdown.getByTestId("connector-row").first()).toContainText("Orders to ERP");
  await expect(breakdown.getByTestId("connector-row").first()).toContainText("1,380");
  await expect(breakdown).toContainText("Paused");
  await page.locator('[data-instance="us-east-2"]').click();
  await expect(breakdown).toContainText("us-east-2");
  await expect(breakdown.getByTestId("connector-row")).toHaveCount(6);

  // What the page shows is what the store holds.
  const api = await page.request.get(`${controlPlane.url}/api/integration-builder/dashboard`);
  expect((await api.json()).totals).toMatchObject({
    instances: 2,
    success24h: 28_000,
    failure24h: 400,
    failedAttempts24h: 1_450,
    dlqOpen: 5,
  });

  // Keyboard users can pick an instance too.
  await page.locator('[data-instance="eu-central-1"]').focus();
  await page.keyboard.press("Enter");
  await expect(breakdown).toContainText("eu-central-1");
  expect(browserErrors).toEqual([]);
  await page.evaluate(() => window.scrollTo(0, 0)); // the header is sticky: keep it at the top of the capture
  await page.screenshot({ path: testInfo.outputPath("control-plane-dashboard.png"), fullPage: true });
});

test("[CONTROL-PLANE] an instance that stops reporting is flagged stale", async ({ controlPlane, page }, testInfo) => {
  const base = { connectorsActive: 2, connectorsTotal: 2, success24h: 100, failure24h: 1, dlqOpen: 0 };
  // Each instance says how often it reports: "goes-quiet" every 2 s (stale after 6 s of silence),
  // "steady" every 5 s (stale after 15 s; it keeps reporting, so it never is).
  const quietReport = { instanceId: "goes-quiet", ...base, reportIntervalMs: 2000 };
  const steadyReport = { instanceId: "steady", ...base, reportIntervalMs: 5000 };
  expect((await controlPlane.report(steadyReport)).status).toBe(201);
  expect((await controlPlane.report(quietReport)).status).toBe(201);
  const fresh = await (await fetch(`${controlPlane.url}/api/integration-builder/dashboard`)).json();
  expect(fresh.instances.map((i: { stale: boolean }) => i.stale)).toEqual([false, false]);

  await page.goto(`${controlPlane.url}/integration-builder`);
  const quiet = page.locator('[data-instance="goes-quiet"]');
  const steady = page.locator('[data-instance="steady"]');
  await expect(quiet).toBeVisible();

  // "steady" keeps reporting; "goes-quiet" says nothing more and is flagged on a refresh after 6 s.
  const keepReporting = setInterval(() => void controlPlane.report(steadyReport), 1000);
  try {
    await expect(async () => {
      await page.getByRole("button", { name: /Refresh/ }).click();
      await expect(quiet).toHaveAttribute("data-stale", "true", { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(quiet.getByTestId("stale-badge")).toBeVisible();
    await expect(steady).toHaveAttribute("data-stale", "false");
    await expect(page.getByTestId("stale-banner")).toHaveText("1 instance has stopped reporting");
    // Stale instances are listed first, so the problem is the first thing an operator sees.
    await expect(page.getByTestId("instance-row").first()).toHaveAttribute("data-instance", "goes-quiet");
    await page.screenshot({ path: testInfo.outputPath("control-plane-stale.png"), fullPage: true });
  } finally {
    clearInterval(keepReporting);
  }
});

test("[CONTROL-PLANE] a running engine reports to the control plane it is pointed at", async ({
  controlPlane,
  page,
}) => {
  test.setTimeout(180_000);
  const engine = await startEngine({
    LOG_LEVEL: "info",
    IB_ADMIN_TOKEN: "e2e-admin-token-0123456789abcdef",
    IB_CONTROL_PLANE_URL: controlPlane.url,
    IB_CONTROL_PLANE_TOKEN: controlPlane.ingestToken,
    IB_INSTANCE_ID: "e2e-engine",
    IB_REPORT_INTERVAL_MS: "1000",
  });
  try {
    await page.goto(`${controlPlane.url}/integration-builder`);
    const row = page.locator('[data-instance="e2e-engine"]');
    await expect(async () => {
      await page.getByRole("button", { name: /Refresh/ }).click();
      await expect(row).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(row).toHaveAttribute("data-stale", "false");

    // The admin route pushes now and answers with the report it sent.
    const pushed = await fetch(`${engine.url}/admin/integration-builder/report-control-plane`, {
      method: "POST",
      headers: { authorization: "Bearer e2e-admin-token-0123456789abcdef" },
    });
    expect(pushed.status).toBe(200);
    const body = await pushed.json();
    expect(body).toMatchObject({ sent: true, controlPlaneStatus: 201, report: { instanceId: "e2e-engine" } });
  } finally {
    await engine.stop();
  }
});

test("[CONTROL-PLANE] viewing requires the viewer token when CP_VIEWER_TOKEN is set", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const cp = await startControlPlane({ CP_VIEWER_TOKEN: "viewer-e2e-token-123" });
  try {
    expect(
      (
        await cp.report({
          instanceId: "guarded",
          connectorsActive: 1,
          connectorsTotal: 1,
          success24h: 5,
          failure24h: 0,
          dlqOpen: 0,
        })
      ).status,
    ).toBe(201);
    expect((await fetch(`${cp.url}/api/integration-builder/dashboard`)).status).toBe(401);

    await page.goto(`${cp.url}/integration-builder`);
    await expect(page).toHaveURL(/\/integration-builder\/sign-in$/);
    await page.screenshot({ path: testInfo.outputPath("control-plane-sign-in.png") });
    await page.getByLabel("Viewer token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("That token is not valid.")).toBeVisible();

    await page.getByLabel("Viewer token").fill("viewer-e2e-token-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/integration-builder$/);
    await expect(page.locator('[data-instance="guarded"]')).toBeVisible();
    const cookies = await page.context().cookies();
    expect(JSON.stringify(cookies)).not.toContain("viewer-e2e-token-123");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/integration-builder\/sign-in$/);
  } finally {
    await cp.stop();
  }
});

test("[CONTROL-PLANE] the dashboard is private by default: no viewer token configured, nobody can read it", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const cp = await startControlPlane();
  try {
    const body = {
      instanceId: "private",
      connectorsActive: 1,
      connectorsTotal: 1,
      success24h: 5,
      failure24h: 0,
      dlqOpen: 0,
    };
    expect((await cp.report(body)).status).toBe(201);
    const api = await fetch(`${cp.url}/api/integration-builder/dashboard`);
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe("UNAUTHORIZED");

    await page.goto(`${cp.url}/integration-builder`);
    await expect(page).toHaveURL(/\/integration-builder\/sign-in$/);
    await expect(page.getByTestId("dashboard-locked")).toContainText("CP_VIEWER_TOKEN");
    await expect(page.getByText("private")).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath("control-plane-locked.png") });
    // Posting a token when none is configured signs nobody in.
    const session = await fetch(`${cp.url}/api/integration-builder/session`, {
      method: "POST",
      body: new URLSearchParams({ token: "anything-at-all" }),
      redirect: "manual",
    });
    expect(session.headers.get("location")).toBe("/integration-builder/sign-in");
    expect(session.headers.get("set-cookie")).toBeNull();
    expect(cp.output()).toContain("nobody can view the dashboard");
  } finally {
    await cp.stop();
  }
});

test("[CONTROL-PLANE] CP_PUBLIC_DASHBOARD=1 makes the dashboard readable without signing in", async ({ page }) => {
  test.setTimeout(240_000);
  const cp = await startControlPlane({ CP_PUBLIC_DASHBOARD: "1" });
  try {
    const body = {
      instanceId: "public",
      connectorsActive: 1,
      connectorsTotal: 1,
      success24h: 5,
      failure24h: 0,
      dlqOpen: 0,
    };
    expect((await cp.report(body)).status).toBe(201);
    expect((await fetch(`${cp.url}/api/integration-builder/dashboard`)).status).toBe(200);
    await page.goto(`${cp.url}/integration-builder/sign-in`);
    await expect(page).toHaveURL(/\/integration-builder$/);
    await expect(page.locator('[data-instance="public"]')).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  } finally {
    await cp.stop();
  }
});

test("[CONTROL-PLANE] refuses to start in production without CP_INGEST_TOKEN", async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "ib-cp-e2e-"));
  const proc = startProcess(
    join(repo, "apps/control-plane/node_modules/.bin/next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    { cwd: join(repo, "apps/control-plane"), env: { CP_DATA_DIR: dataDir, CP_INGEST_TOKEN: "" } },
  );
  try {
    const code = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r("still running"), 30_000))]);
    expect(code).not.toBe(0);
    expect(code).not.toBe("still running");
    expect(proc.output()).toContain("CP_INGEST_TOKEN is not set");
  } finally {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
